"""Time worked on a project, and the hourly invoice that bills it (P35).

An entry is billable (on the next hourly invoice), goodwill (shown to the client at zero) or not
billable (never shown). The hourly invoice links each entry to its line, so it is billed once;
deleting the line or cancelling the invoice releases it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.billing.models import Invoice, InvoiceLine, TimeEntry
from rapport.billing.selectors import invoice_contact_for, project_hourly_rate
from rapport.billing.services.invoices import MAX_LINES, invoice_totals_set
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.money import currency_check, line_amounts, parse_amount, parse_quantity, to_minor
from rapport.core.validation import check_date

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.clients.models import Contact
    from rapport.projects.models import Project


@transaction.atomic
def time_entry_add(
    *,
    project: Project,
    actor: User | None,
    worked_on: date | None,
    hours: object,
    description: str,
    billing: str = TimeEntry.Billing.BILLABLE,
    rate: object = None,
) -> TimeEntry:
    """Record time worked on a project: billable (on the next hourly invoice), goodwill
    (shown to the client at zero, P35) or not billable (never shown)."""
    if worked_on is None:
        raise ApplicationError(_("Enter the date."), field="worked_on")
    if worked_on > workspace_today(project.client.workspace) + timedelta(days=1):
        raise ApplicationError(_("The date cannot be in the future."), field="worked_on")
    check_date(worked_on, field="worked_on")
    qty = parse_quantity(hours, field="hours")
    if qty > 24:
        raise ApplicationError(_("At most 24 hours in one entry."), field="hours")
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Say what the time was spent on."), field="description")
    if len(description) > 300:
        raise ApplicationError(_("At most 300 characters."), field="description")
    if billing not in TimeEntry.Billing.values:
        raise ApplicationError(_("Choose how this time is billed."), field="billing")
    value = (
        parse_amount(rate, field="rate", currency=currency_check(project.currency))
        if rate not in (None, "")
        else None
    )
    return TimeEntry.objects.create(
        workspace_id=project.workspace_id,
        project=project,
        member=actor,
        worked_on=worked_on,
        hours=qty,
        description=description,
        billing=billing,
        rate=value,
    )


@transaction.atomic
def time_entry_remove(*, entry: TimeEntry) -> None:
    """Delete a time entry that is not on an invoice yet."""
    locked = TimeEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.invoice_line_id is not None:
        raise ApplicationError(_("This time is on an invoice; remove it from the draft first."))
    locked.delete()


@transaction.atomic
def invoice_draft_hourly(
    *,
    project: Project,
    actor: User | None,
    rate: object = None,
    contact: Contact | None = None,
) -> Invoice:
    """A draft hourly invoice from the project's unbilled time (P35).

    Billable entries become lines at their own rate, else the rate typed here, else the
    project's hourly rate; goodwill entries become lines at zero marked "goodwill" so the
    client sees them; non-billable entries never appear. Each entry is linked to its line, so
    it is billed once (deleting the line or cancelling the invoice releases it).
    """
    currency = currency_check(project.currency)
    typed = (
        parse_amount(rate, field="rate", currency=currency, allow_zero=False)
        if rate not in (None, "")
        else None
    )
    entries = list(
        TimeEntry.objects.select_for_update()
        .filter(
            project=project,
            invoice_line__isnull=True,
            billing__in=[TimeEntry.Billing.BILLABLE, TimeEntry.Billing.GOODWILL],
        )
        .order_by("worked_on", "id")
    )
    if not any(e.billing == TimeEntry.Billing.BILLABLE for e in entries):
        raise ApplicationError(_("There is no unbilled billable time on this project."))
    if len(entries) > MAX_LINES:
        entries = entries[:MAX_LINES]
    fallback = typed or project_hourly_rate(project)
    missing = [e for e in entries if e.billing == TimeEntry.Billing.BILLABLE and e.rate is None]
    if missing and fallback is None:
        raise ApplicationError(
            _("Some entries have no rate and the project has none: type an hourly rate."),
            field="rate",
        )
    client = project.client
    contact = invoice_contact_for(client, contact)
    invoice = Invoice.objects.create(
        workspace_id=project.workspace_id,
        client=client,
        project=project,
        contact=contact,
        kind=Invoice.Kind.HOURLY,
        currency=currency,
        language=contact.effective_language if contact else client.language,
        created_by=actor,
    )
    # The lines are the client's to read: dated and worded in the invoice's language (P29).
    with translation.override(invoice.language):
        unit = _("h")
        days = [str(date_format(entry.worked_on, "SHORT_DATE_FORMAT")) for entry in entries]
    for position, entry in enumerate(entries):
        goodwill = entry.billing == TimeEntry.Billing.GOODWILL
        rate_used = entry.rate if entry.rate is not None else fallback
        price = Decimal(0) if goodwill or rate_used is None else to_minor(rate_used, currency)
        net, tax = line_amounts(Decimal(entry.hours), price, Decimal(0), currency)
        line = InvoiceLine.objects.create(
            invoice=invoice,
            position=position,
            description=f"{days[position]} {entry.description}"[:300],
            quantity=entry.hours,
            unit=unit,
            unit_price=price,
            net=net,
            tax=tax,
            goodwill=goodwill,
        )
        TimeEntry.objects.filter(pk=entry.pk).update(invoice_line=line)
    invoice_totals_set(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total"])
    return invoice
