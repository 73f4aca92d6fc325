"""Money on invoices: totals are the sum of lines, every amount sits on its currency's minor
unit, no float anywhere; payments add up and are refused when they break a rule."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.billing.models import Invoice, Payment
from rapport.billing.payment_methods import payment_method_save
from rapport.billing.services.invoices import invoice_issue, invoice_line_add, invoice_void
from rapport.billing.services.payments import payment_record
from rapport.billing.services.stages import stage_split
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.money import minor_unit

CURRENCIES = ["EUR", "JPY", "KWD"]


def places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
rates = st.sampled_from(["0", "5.5", "9", "19", "24", "7.25"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    currency=st.sampled_from(CURRENCIES),
    lines=st.lists(
        st.tuples(quantities, st.integers(min_value=0, max_value=10**7), rates, st.booleans()),
        min_size=1,
        max_size=6,
    ),
)
def test_invoice_total_is_the_sum_of_its_lines(
    alice: Persona,
    acme: Client,
    carol: Contact,
    currency: str,
    lines: list[tuple[Decimal, int, str, bool]],
) -> None:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind=Invoice.Kind.MILESTONE,
        currency=currency,
        language="en",
    )
    digits = minor_unit(currency)
    for qty, minor, rate, goodwill in lines:
        price = Decimal(minor).scaleb(-digits)  # a price the currency can express
        invoice_line_add(
            invoice=invoice,
            description="x",
            quantity=str(qty),
            unit_price=str(price),
            tax_rate=rate,
            goodwill=goodwill,
        )
    invoice.refresh_from_db()
    stored = list(invoice.lines.all())
    assert invoice.subtotal == sum((line.net for line in stored), Decimal(0))
    assert invoice.tax_total == sum((line.tax for line in stored), Decimal(0))
    assert invoice.total == invoice.subtotal + invoice.tax_total
    for line in stored:
        assert line.net == line.net.quantize(Decimal(1).scaleb(-digits))
        assert line.tax == line.tax.quantize(Decimal(1).scaleb(-digits))
        assert not isinstance(line.net, float)
        if line.goodwill:
            assert line.net == 0 and line.tax == 0
    for value in (invoice.subtotal, invoice.tax_total, invoice.total):
        assert isinstance(value, Decimal)
        assert value == value.quantize(Decimal(1).scaleb(-digits))


@settings(max_examples=300, deadline=None)
@given(
    currency=st.sampled_from(CURRENCIES),
    minor=st.integers(min_value=1, max_value=10**12),
    rate_set=st.sets(
        st.sampled_from([Decimal(r) for r in ("0", "5", "9", "19", "24")]), max_size=3
    ),
    share=st.integers(min_value=1, max_value=100),
)
def test_stage_split_is_exact_to_the_minor_unit(
    currency: str, minor: int, rate_set: set[Decimal], share: int
) -> None:
    digits = minor_unit(currency)
    amount = Decimal(minor).scaleb(-digits)
    subtotal = amount * 100 / (100 + Decimal(share))  # a quote whose tax is some share
    subtotal = subtotal.quantize(Decimal(1).scaleb(-digits))
    net, tax, shown = stage_split(
        amount=amount, rates=rate_set, subtotal=subtotal, total=amount, currency=currency
    )
    assert net + tax == amount
    assert places(net) == digits and places(tax) == digits
    assert isinstance(shown, Decimal)
    if len(rate_set) == 1:
        (rate,) = rate_set
        # the tax differs from net x rate by at most one minor unit
        assert abs(tax - net * rate / 100) <= Decimal(1).scaleb(-digits)


def test_float_amounts_are_refused(alice: Persona, acme: Client, carol: Contact) -> None:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="milestone",
        currency="EUR",
        language="en",
    )
    with pytest.raises(TypeError):
        invoice_line_add(invoice=invoice, description="x", quantity="1", unit_price=10.5)


@pytest.fixture
def issued(alice: Persona, acme: Client, carol: Contact) -> Invoice:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="milestone",
        currency="EUR",
        language="en",
    )
    invoice_line_add(invoice=invoice, description="Design", quantity="1", unit_price="1000")
    return invoice_issue(invoice=invoice, actor=alice.user)


@pytest.mark.parametrize(
    ("amount", "field", "message"),
    [
        ("0", "amount", "more than zero"),
        ("-5", "amount", "cannot be negative"),
        ("1000.01", "amount", "more than the balance"),
        ("12.345", "amount", "at most 2 decimals"),
        ("abc", "amount", "Enter an amount"),
        ("1e20", "amount", "too large"),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_written(
    alice: Persona, issued: Invoice, amount: str, field: str, message: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        payment_record(
            invoice=issued, actor=alice.user, amount=amount, received_on=issued.issue_date
        )
    assert caught.value.field == field
    assert message in caught.value.message
    assert not Payment.objects.exists()
    issued.refresh_from_db()
    assert issued.paid_total == 0 and issued.status == Invoice.Status.ISSUED


def test_partial_payments_add_up_to_paid(alice: Persona, issued: Invoice) -> None:
    payment_record(invoice=issued, actor=alice.user, amount="250", received_on=issued.issue_date)
    payment_record(invoice=issued, actor=alice.user, amount="700,50", received_on=issued.issue_date)
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.ISSUED and issued.balance == Decimal("49.50")
    with pytest.raises(ApplicationError, match="more than the balance"):
        payment_record(invoice=issued, actor=alice.user, amount="50", received_on=issued.issue_date)
    payment_record(invoice=issued, actor=alice.user, amount="49.50", received_on=issued.issue_date)
    issued.refresh_from_db()
    assert issued.status == Invoice.Status.PAID and issued.paid_at is not None
    assert issued.next_reminder_on is None
    with pytest.raises(ApplicationError, match="already paid"):
        payment_record(invoice=issued, actor=alice.user, amount="1", received_on=issued.issue_date)
    with pytest.raises(ApplicationError, match="cannot be cancelled"):
        invoice_void(invoice=issued, actor=alice.user)


def test_no_payment_on_a_draft_or_cancelled_invoice_or_in_the_future(
    alice: Persona, acme: Client, carol: Contact, issued: Invoice
) -> None:
    draft = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="milestone",
        currency="EUR",
        language="en",
    )
    with pytest.raises(ApplicationError, match="Issue the invoice"):
        payment_record(invoice=draft, actor=alice.user, amount="1", received_on=issued.issue_date)
    assert issued.issue_date is not None
    with pytest.raises(ApplicationError) as caught:
        payment_record(
            invoice=issued,
            actor=alice.user,
            amount="1",
            received_on=issued.issue_date + timedelta(days=5),
        )
    assert caught.value.field == "received_on"
    invoice_void(invoice=issued, actor=alice.user)
    with pytest.raises(ApplicationError, match="cancelled"):
        payment_record(invoice=issued, actor=alice.user, amount="1", received_on=issued.issue_date)
    assert not Payment.objects.exists()


def test_another_workspaces_method_is_refused(
    alice: Persona, issued: Invoice, mallory: Persona
) -> None:
    theirs = payment_method_save(membership=mallory.membership, kind="cash")
    with pytest.raises(ApplicationError) as caught:
        payment_record(
            invoice=issued,
            actor=alice.user,
            amount="1",
            received_on=issued.issue_date,
            method=theirs,
        )
    assert caught.value.field == "method"
