"""Invoices (P09): a draft's lines, issuing, cancelling.

An invoice starts as a draft (no number), from a stage of the agreed schedule
(:mod:`.stages`), from the unbilled hours (:mod:`.time_entries`) or with lines typed here. It is
issued (a gapless number, dates, totals, the PDF and its SHA-256, a message to the client with a
portal link), then is paid by one or more payments (:mod:`.payments`), or cancelled (void)
keeping its number. Totals are the sum of lines rounded to the currency's minor unit
(``core.money``); nothing here ever uses a float.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport.billing.documents import invoice_pdf_render
from rapport.billing.models import Invoice, InvoiceLine, TimeEntry
from rapport.billing.numbering import invoice_number_take
from rapport.billing.selectors import invoice_contact_for
from rapport.billing.services.supply import supply_clean
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.money import line_amounts, parse_amount, parse_quantity, parse_rate, to_minor
from rapport.core.pdf import sha256_hex
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alerts_resolve_for, notification_queue

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.clients.models import Contact

# Days between issue and due date (the workspace's payment terms). One constant for every
# workspace until someone needs another: documented in docs/agreements-and-money.md.
PAYMENT_TERMS_DAYS = 14
# Reminder steps, in days relative to the due date (scanners.py): before, on the day, the
# day after (the provider's alert only), then two polite notes to the client.
REMINDER_OFFSETS = (-3, 0, 1, 3, 10)
MAX_LINES = 200


def invoice_totals_set(invoice: Invoice) -> None:
    """Set ``invoice``'s subtotal, tax and total from its lines, each rounded to the currency's
    minor unit. The caller saves them."""
    sums = invoice.lines.aggregate(net=Sum("net"), tax=Sum("tax"))
    invoice.subtotal = to_minor(sums["net"] or Decimal(0), invoice.currency)
    invoice.tax_total = to_minor(sums["tax"] or Decimal(0), invoice.currency)
    invoice.total = invoice.subtotal + invoice.tax_total


def _editable(invoice: Invoice) -> Invoice:
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status != Invoice.Status.DRAFT:
        raise ApplicationError(_("Only a draft can be changed; this invoice is issued."))
    return locked


@transaction.atomic
def invoice_line_add(
    *,
    invoice: Invoice,
    description: str,
    quantity: object,
    unit_price: object,
    tax_rate: object = "0",
    unit: str = "",
    goodwill: bool = False,
) -> InvoiceLine:
    """Add a line to a draft; amounts rounded to the currency's minor unit, totals updated.

    A goodwill line is shown to the client at zero (P35): its price is ignored."""
    invoice = _editable(invoice)
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Describe the line."), field="description")
    if len(description) > 300:
        raise ApplicationError(_("At most 300 characters."), field="description")
    qty = parse_quantity(quantity, field="quantity")
    price = (
        Decimal(0)
        if goodwill
        else parse_amount(unit_price, field="unit_price", currency=invoice.currency)
    )
    rate = parse_rate(tax_rate, field="tax_rate")
    net, tax = line_amounts(qty, price, rate, invoice.currency)
    count = invoice.lines.count()
    if count >= MAX_LINES:
        raise ApplicationError(_("An invoice has at most 200 lines."), field="description")
    line = InvoiceLine.objects.create(
        invoice=invoice,
        position=count,
        description=description,
        quantity=qty,
        unit=(unit or "").strip()[:40],
        unit_price=price,
        tax_rate=rate,
        net=net,
        tax=tax,
        goodwill=goodwill,
    )
    invoice_totals_set(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total", "updated_at"])
    return line


@transaction.atomic
def invoice_line_remove(*, line: InvoiceLine) -> Invoice:
    """Remove a line from a draft; its time entries become unbilled again."""
    invoice = _editable(line.invoice)
    line.delete()
    invoice_totals_set(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total", "updated_at"])
    return invoice


def invoice_portal_url(invoice: Invoice, contact: Contact, actor: User | None) -> str:
    """A fresh magic link for ``contact`` that lands on the invoice's portal page."""
    _link, token = portal_link_create(contact=contact, actor=actor)
    return f"{portal_link_url(token)}?next={reverse('portal:invoice', args=[invoice.pk])}"


def _reminder_start(issue_date: date, due_date: date) -> tuple[date | None, int]:
    """The first reminder step still ahead of an invoice issued today."""
    for step, offset in enumerate(REMINDER_OFFSETS):
        on = due_date + timedelta(days=offset)
        if on > issue_date or offset >= 0:
            return on, step
    return None, len(REMINDER_OFFSETS)


@transaction.atomic
def invoice_issue(
    *,
    invoice: Invoice,
    actor: User | None,
    supplied_on: date | None = None,
    supplied_until: date | None = None,
) -> Invoice:
    """Issue a draft: the next number of the workspace (gapless), today's date, the due date
    after the payment terms, the PDF and its SHA-256, the message to the client with a link
    to the portal, and the timeline. Refuses an invoice with no lines, a total of zero or
    less, or nobody to send it to.

    ``supplied_on`` (and ``supplied_until`` for a service period) is the date of supply when
    it differs from the issue date; the PDF prints it (``supply.supply_clean`` checks it
    before the number is taken)."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("client__workspace", "contact__client__workspace")
        .get(pk=invoice.pk)
    )
    if invoice.status != Invoice.Status.DRAFT:
        raise ApplicationError(_("This invoice is already issued."))
    if not invoice.lines.exists():
        raise ApplicationError(_("Add at least one line before issuing."), field="description")
    invoice_totals_set(invoice)
    if invoice.total <= 0:
        raise ApplicationError(_("Nothing to invoice: the total is zero."))
    contact = invoice.contact
    if contact is None or contact.archived_at is not None:
        contact = invoice_contact_for(invoice.client)
    if contact is None:
        raise ApplicationError(
            _("Add a contact to this client first: the invoice is sent to them."),
            field="contact",
        )
    workspace = invoice.client.workspace
    today = workspace_today(workspace)
    invoice.supplied_on, invoice.supplied_until = supply_clean(
        issue_date=today, supplied_on=supplied_on, supplied_until=supplied_until
    )
    invoice.contact = contact
    invoice.language = contact.effective_language
    invoice.number = invoice_number_take(workspace_id=invoice.workspace_id)
    invoice.issue_date = today
    invoice.due_date = today + timedelta(days=PAYMENT_TERMS_DAYS)
    invoice.status = Invoice.Status.ISSUED
    invoice.next_reminder_on, invoice.reminder_step = _reminder_start(today, invoice.due_date)
    invoice.pdf = invoice_pdf_render(invoice)
    invoice.sha256 = sha256_hex(invoice.pdf)
    invoice.save()
    notification_queue(
        contact=contact,
        template="invoice_issued",
        context={"invoice": invoice, "portal_url": invoice_portal_url(invoice, contact, actor)},
        subject=invoice,
        dedupe_key=f"invoice_issued:{invoice.pk}",
    )
    timeline_record(
        client=invoice.client,
        verb="invoice.issued",
        actor=actor,
        subject=invoice,
        data={
            "number": invoice.display_number,
            "total": f"{invoice.total} {invoice.currency}",
            "due": invoice.due_date.isoformat(),
        },
    )
    return invoice


@transaction.atomic
def invoice_void(*, invoice: Invoice, actor: User | None, reason: str = "") -> Invoice:
    """Cancel an invoice. An issued one keeps its number (no gap) and its PDF; its stage and
    time entries are released to be invoiced again. A paid or partly paid invoice cannot be
    cancelled (record the refund outside, then issue a corrected invoice)."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == Invoice.Status.VOID:
        raise ApplicationError(_("This invoice is already cancelled."))
    if invoice.status == Invoice.Status.PAID or invoice.paid_total > 0:
        raise ApplicationError(_("An invoice with payments cannot be cancelled."))
    was_issued = invoice.status == Invoice.Status.ISSUED
    invoice.status = Invoice.Status.VOID
    invoice.stage = None
    invoice.next_reminder_on = None
    reason = (reason or "").strip()[:500]
    if reason:
        invoice.notes = (invoice.notes + "\n" + reason).strip()
    invoice.save()
    TimeEntry.objects.filter(invoice_line__invoice=invoice).update(invoice_line=None)
    alerts_resolve_for(subject=invoice, kinds=[Alert.Kind.INVOICE_OVERDUE])
    if was_issued:
        timeline_record(
            client=invoice.client,
            verb="invoice.voided",
            actor=actor,
            subject=invoice,
            data={"number": invoice.display_number},
        )
    return invoice
