"""The invoice of a payment stage (P09): a deposit, a milestone, the final payment, a change.

It carries one line: the stage's amount is part of the quote's total, tax included, so the
invoice total equals the stage amount exactly and the net/tax split follows the quote's tax
treatment:

* all quote lines share one tax rate r: net = amount * 100 / (100 + r), rounded to the minor
  unit; tax = amount - net (the remainder, so no minor unit is lost or invented);
* rates differ: net = amount * quote subtotal / quote total, rounded; tax = amount - net. The
  line shows the effective rate (tax / net, two decimals) and the PDF says it is pro-rated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rapport.agreements.models import Document, PaymentStage
from rapport.billing.models import Invoice, InvoiceLine
from rapport.billing.selectors import invoice_contact_for
from rapport.billing.services.invoices import invoice_issue, invoice_totals_set
from rapport.core.errors import ApplicationError
from rapport.core.money import currency_check, to_minor

if TYPE_CHECKING:
    from rapport.accounts.models import User

STAGE_KIND_TO_INVOICE = {
    "deposit": Invoice.Kind.DEPOSIT,
    "milestone": Invoice.Kind.MILESTONE,
    "final": Invoice.Kind.FINAL,
    "change": Invoice.Kind.CHANGE,
}


def stage_split(
    *, amount: Decimal, rates: set[Decimal], subtotal: Decimal, total: Decimal, currency: str
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, rate shown) of a schedule amount that includes tax (see module docstring)."""
    amount = to_minor(amount, currency)
    if len(rates) <= 1:
        rate = next(iter(rates), Decimal(0))
        net = to_minor(amount * 100 / (100 + rate), currency)
        return net, amount - net, rate
    if total == 0:
        return amount, Decimal(0), Decimal(0)
    net = to_minor(amount * subtotal / total, currency)
    tax = amount - net
    shown = (tax * 100 / net).quantize(Decimal("0.01")) if net else Decimal(0)
    return net, tax, min(shown, Decimal("999.99"))


def _draft_for_stage(
    *, stage: PaymentStage, contract: Document | None, actor: User | None
) -> Invoice:
    quote = stage.quote
    if Invoice.objects.filter(stage=stage).exists():
        raise ApplicationError(_("This payment stage is already invoiced."), field="stage")
    amount = Decimal(stage.amount)
    if amount <= 0:
        raise ApplicationError(_("This payment stage has no amount to invoice."), field="stage")
    currency = currency_check(quote.currency)
    preferred = contract.signer if contract is not None else quote.contact
    contact = invoice_contact_for(quote.client, preferred)
    rates = set(quote.agreed_lines().values_list("tax_rate", flat=True))
    net, tax, rate = stage_split(
        amount=amount,
        rates=rates,
        subtotal=Decimal(quote.subtotal),
        total=Decimal(quote.total),
        currency=currency,
    )
    invoice = Invoice.objects.create(
        workspace_id=stage.workspace_id,
        client=quote.client,
        project=quote.project,
        contract=contract,
        stage=stage,
        contact=contact,
        kind=STAGE_KIND_TO_INVOICE.get(stage.kind, Invoice.Kind.MILESTONE),
        currency=currency,
        language=contact.effective_language if contact else quote.language,
        created_by=actor,
    )
    # The line is read by the client: "Avans", not the staff request's "Deposit".
    with translation.override(invoice.language):
        label = stage.label or str(PaymentStage.Kind(stage.kind).label)
    InvoiceLine.objects.create(
        invoice=invoice,
        position=0,
        description=f"{label} ({quote.reference}: {quote.title})"[:300],
        quantity=Decimal(1),
        unit_price=net,
        tax_rate=rate,
        net=net,
        tax=tax,
    )
    invoice_totals_set(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total"])
    return invoice


@transaction.atomic
def invoice_issue_for_stage(
    *, stage: PaymentStage, contract: Document | None, actor: User | None
) -> Invoice:
    """Issue (number, PDF, send to the client) the invoice of one payment stage.

    The countersignature issues it for the deposit stage, inside the signing transaction
    (:mod:`rapport.billing.receivers`). One line, "<stage label> (<quote reference>: <title>)",
    whose total is the stage amount exactly (tax split: module docstring). Refuses a stage
    already invoiced, or of no amount.
    """
    invoice = _draft_for_stage(stage=stage, contract=contract, actor=actor)
    return invoice_issue(invoice=invoice, actor=actor)


@transaction.atomic
def invoice_draft_from_stage(
    *, stage: PaymentStage, actor: User | None, contract: Document | None = None
) -> Invoice:
    """A draft invoice for a stage of the schedule not yet invoiced, to check and issue."""
    return _draft_for_stage(stage=stage, contract=contract, actor=actor)
