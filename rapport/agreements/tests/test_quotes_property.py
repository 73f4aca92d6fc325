"""Property: for random lines in random currencies, the total is the sum of the rounded line
amounts and taxes, every amount has at most the currency's minor-unit digits, the schedule
pays exactly the total, and no float appears anywhere (P07)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.agreements.models import PaymentStage
from rapport.agreements.quotes.inputs import LineInput, QuoteInput, StageInput
from rapport.agreements.quotes.validation import quote_validate
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.money import minor_unit
from rapport.projects.models import Project

CURRENCIES = ["EUR", "JPY", "KWD", "RON", "IDR", "USD", "BHD", "CLP"]


@st.composite
def quotes(draw: st.DrawFn) -> tuple[str, list[LineInput], list[StageInput]]:
    currency = draw(st.sampled_from(CURRENCIES))
    places = minor_unit(currency)
    lines = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        # At least 100 minor units: 0.01 of a unit still costs something. At most a million
        # units, so that 1,000 of them with 100 % tax stay under core.money.MAX_AMOUNT (a larger
        # line is refused, and tested, elsewhere).
        price = Decimal(draw(st.integers(min_value=100, max_value=10**6 * 10**places))).scaleb(
            -places
        )
        quantity = Decimal(draw(st.integers(min_value=1, max_value=100_000))).scaleb(-2)
        rate = Decimal(draw(st.integers(min_value=0, max_value=10_000))).scaleb(-2)
        kind = draw(st.sampled_from(["fixed", "hourly", "quantity"]))
        lines.append(
            LineInput(
                kind=kind,
                description=f"Line {i}",
                quantity=str(quantity),
                unit_price=str(price),
                tax_rate=str(rate),
            )
        )
    # A deposit of a random share (in hundredths of a percent) and the final payment.
    deposit = draw(st.integers(min_value=0, max_value=9_999))
    stages = [
        StageInput(kind=PaymentStage.Kind.FINAL, percent=str(Decimal(10_000 - deposit).scaleb(-2)))
    ]
    if deposit:
        stages.insert(
            0, StageInput(kind=PaymentStage.Kind.DEPOSIT, percent=str(Decimal(deposit).scaleb(-2)))
        )
    return currency, lines, stages


def _places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=quotes())
def test_totals_are_sums_of_rounded_lines(
    case: tuple[str, list[LineInput], list[StageInput]], carol: Contact, website: Project
) -> None:
    currency, lines, stages = case
    today = dt.date(2026, 11, 23)
    data = QuoteInput(
        contact=carol,
        title="Property",
        currency=currency,
        language="en",
        valid_until=today,
        lines=lines,
        stages=stages,
    )
    try:
        cleaned = quote_validate(project=website, data=data, today=today)
    except ApplicationError as exc:
        # A share so small that it rounds to nothing is refused, naming the payment.
        assert exc.field is not None and exc.field.endswith("-percent"), exc.message
        assert "of the total is less than" in exc.message
        return
    fields = cleaned.fields
    places = minor_unit(currency)
    nets = [line.net for line in cleaned.lines]
    taxes = [line.tax for line in cleaned.lines]
    assert fields["subtotal"] == sum(nets, Decimal(0))
    assert fields["tax_total"] == sum(taxes, Decimal(0))
    assert fields["total"] == fields["subtotal"] + fields["tax_total"]
    amounts = [*nets, *taxes, fields["subtotal"], fields["tax_total"], fields["total"]]
    amounts += [stage.amount for stage in cleaned.stages]
    for amount in amounts:
        assert type(amount) is Decimal
        assert _places(amount) <= places, (currency, amount)
    assert sum((s.amount for s in cleaned.stages), Decimal(0)) == fields["total"]
    assert all(s.amount > 0 for s in cleaned.stages)
    assert not any(isinstance(v, float) for v in fields.values())
