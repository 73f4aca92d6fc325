"""Payments (P09): money received against an issued invoice, recorded by the provider.

Partial payments add up; the invoice is paid when they cover its total, which stops its
reminders, resolves its overdue alert and, for a deposit, may start the kickoff (P11).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.billing.kickoff import kickoff_if_ready
from rapport.billing.models import Invoice, Payment, PaymentMethod
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.money import parse_amount
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_date
from rapport.notifications.models import Alert
from rapport.notifications.services import alerts_resolve_for

if TYPE_CHECKING:
    from rapport.accounts.models import User


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    actor: User | None,
    amount: object,
    received_on: date | None,
    method: PaymentMethod | None = None,
    reference: str = "",
) -> Payment:
    """Record money received against an issued invoice; partial payments add up and the
    invoice is paid when they cover its total. Refuses a draft or cancelled invoice, an
    amount of zero or less, more than the balance, and a date in the future. When a deposit
    is paid, kickoff follows if the contract is signed (P09, P11)."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("client__workspace", "project")
        .get(pk=invoice.pk)
    )
    if invoice.status == Invoice.Status.DRAFT:
        raise ApplicationError(_("Issue the invoice before recording a payment."), field="amount")
    if invoice.status == Invoice.Status.VOID:
        raise ApplicationError(_("This invoice is cancelled: it takes no payment."), field="amount")
    if invoice.status == Invoice.Status.PAID:
        raise ApplicationError(_("This invoice is already paid in full."), field="amount")
    value = parse_amount(amount, field="amount", currency=invoice.currency, allow_zero=False)
    balance = invoice.balance
    if value > balance:
        raise ApplicationError(
            _("That is more than the balance due (%(balance)s %(currency)s).")
            % {"balance": balance, "currency": invoice.currency},
            field="amount",
        )
    today = workspace_today(invoice.client.workspace)
    if received_on is None:
        raise ApplicationError(_("Enter the date the money arrived."), field="received_on")
    if received_on > today:
        raise ApplicationError(_("The date cannot be in the future."), field="received_on")
    check_date(received_on, field="received_on")
    if invoice.issue_date and received_on < invoice.issue_date - timedelta(days=365):
        raise ApplicationError(
            _("That date is long before the invoice was issued."), field="received_on"
        )
    if method is not None and method.workspace_id != invoice.workspace_id:
        raise ApplicationError(_("Choose one of your payment methods."), field="method")
    reference = (reference or "").strip()
    if len(reference) > 200:
        raise ApplicationError(_("At most 200 characters."), field="reference")
    payment = Payment.objects.create(
        workspace_id=invoice.workspace_id,
        invoice=invoice,
        amount=value,
        received_on=received_on,
        method=method,
        reference=reference,
        recorded_by=actor,
    )
    invoice.paid_total = Decimal(invoice.paid_total) + value
    fields = ["paid_total", "updated_at"]
    if invoice.paid_total >= invoice.total:
        invoice.status = Invoice.Status.PAID
        invoice.paid_at = timezone.now()
        invoice.next_reminder_on = None
        fields += ["status", "paid_at", "next_reminder_on"]
    invoice.save(update_fields=fields)
    timeline_record(
        client=invoice.client,
        verb="payment.recorded",
        actor=actor,
        subject=invoice,
        data={"number": invoice.display_number, "amount": f"{value} {invoice.currency}"},
    )
    if invoice.status == Invoice.Status.PAID:
        alerts_resolve_for(subject=invoice, kinds=[Alert.Kind.INVOICE_OVERDUE])
        timeline_record(
            client=invoice.client,
            verb="invoice.paid",
            actor=actor,
            subject=invoice,
            data={"number": invoice.display_number},
        )
        if invoice.kind == Invoice.Kind.DEPOSIT and invoice.project is not None:
            kickoff_if_ready(project=invoice.project)
    return payment
