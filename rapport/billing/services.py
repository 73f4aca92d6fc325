"""Invoices, payments and time entries (P09, P10, P35).

An invoice starts as a draft (no number), is issued (a gapless number, dates, totals, the PDF
and its SHA-256, a message to the client with a portal link), then is paid by one or more
payments, or cancelled (void) keeping its number. Totals are the sum of lines rounded to the
currency's minor unit (``core.money``); nothing here ever uses a float.

The invoice of a payment stage (:func:`invoice_issue_for_stage`) carries one line: the stage's
amount is part of the quote's total, tax included, so the invoice total equals the stage amount
exactly and the net/tax split follows the quote's tax treatment:

* all quote lines share one tax rate r: net = amount * 100 / (100 + r), rounded to the minor
  unit; tax = amount - net (the remainder, so no minor unit is lost or invented);
* rates differ: net = amount * quote subtotal / quote total, rounded; tax = amount - net. The
  line shows the effective rate (tax / net, two decimals) and the PDF says it is pro-rated.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.billing.kickoff import kickoff_if_ready
from rapport.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod, TimeEntry
from rapport.billing.numbering import invoice_number_take
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.money import (
    currency_check,
    line_amounts,
    parse_amount,
    parse_quantity,
    parse_rate,
    to_minor,
)
from rapport.core.timeline import timeline_record

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.agreements.models import Document, PaymentStage
    from rapport.clients.models import Client, Contact
    from rapport.projects.models import Project

# Days between issue and due date (the workspace's payment terms). One constant for every
# workspace until someone needs another: documented in docs/agreements-and-money.md.
PAYMENT_TERMS_DAYS = 14
# Reminder steps, in days relative to the due date (scanners.py): before, on the day, the
# day after (the provider's alert only), then two polite notes to the client.
REMINDER_OFFSETS = (-3, 0, 1, 3, 10)
MAX_LINES = 200

STAGE_KIND_TO_INVOICE = {
    "deposit": Invoice.Kind.DEPOSIT,
    "milestone": Invoice.Kind.MILESTONE,
    "final": Invoice.Kind.FINAL,
    "change": Invoice.Kind.CHANGE,
}


def invoice_contact_for(client: Client, preferred: Contact | None = None) -> Contact | None:
    """Who an invoice is addressed to: the given contact if still active, else the client's
    first active contact."""
    if preferred is not None and preferred.archived_at is None:
        return preferred
    return client.contacts.filter(archived_at__isnull=True).order_by("id").first()


def _totals(invoice: Invoice) -> None:
    sums = invoice.lines.aggregate(net=Sum("net"), tax=Sum("tax"))
    invoice.subtotal = to_minor(sums["net"] or Decimal(0), invoice.currency)
    invoice.tax_total = to_minor(sums["tax"] or Decimal(0), invoice.currency)
    invoice.total = invoice.subtotal + invoice.tax_total


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
    from rapport.agreements.models import PaymentStage as Stage

    quote = stage.quote
    if Invoice.objects.filter(stage=stage).exists():
        raise ApplicationError(_("This payment stage is already invoiced."), field="stage")
    amount = Decimal(stage.amount)
    if amount <= 0:
        raise ApplicationError(_("This payment stage has no amount to invoice."), field="stage")
    currency = currency_check(quote.currency)
    preferred = contract.signer if contract is not None else quote.contact
    contact = invoice_contact_for(quote.client, preferred)
    rates = set(quote.lines.values_list("tax_rate", flat=True))
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
        label = stage.label or str(Stage.Kind(stage.kind).label)
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
    _totals(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total"])
    return invoice


@transaction.atomic
def invoice_issue_for_stage(
    *, stage: PaymentStage, contract: Document | None, actor: User | None
) -> Invoice:
    """Issue (number, PDF, send to the client) the invoice of one payment stage.

    Signing the contract calls it for the deposit stage, inside the signing transaction.
    One line, "<stage label> (<quote reference>: <title>)", whose total is the stage amount
    exactly (tax split: module docstring). Refuses a stage already invoiced, or of no amount.
    """
    invoice = _draft_for_stage(stage=stage, contract=contract, actor=actor)
    return invoice_issue(invoice=invoice, actor=actor)


@transaction.atomic
def invoice_draft_from_stage(
    *, stage: PaymentStage, actor: User | None, contract: Document | None = None
) -> Invoice:
    """A draft invoice for a stage of the schedule not yet invoiced, to check and issue."""
    return _draft_for_stage(stage=stage, contract=contract, actor=actor)


def project_hourly_rate(project: Project) -> Decimal | None:
    """The project's hourly rate: the highest revision rate of its deliverables (set from the
    accepted quote's policy), or None when none is set."""
    from rapport.projects.models import Deliverable

    rate = (
        Deliverable.objects.filter(milestone__project=project, revision_hourly_rate__gt=0)
        .order_by("-revision_hourly_rate")
        .values_list("revision_hourly_rate", flat=True)
        .first()
    )
    return Decimal(rate) if rate is not None else None


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
    for position, entry in enumerate(entries):
        goodwill = entry.billing == TimeEntry.Billing.GOODWILL
        rate_used = entry.rate if entry.rate is not None else fallback
        price = Decimal(0) if goodwill or rate_used is None else to_minor(rate_used, currency)
        net, tax = line_amounts(Decimal(entry.hours), price, Decimal(0), currency)
        line = InvoiceLine.objects.create(
            invoice=invoice,
            position=position,
            description=f"{entry.worked_on.isoformat()} {entry.description}"[:300],
            quantity=entry.hours,
            unit=_("h"),
            unit_price=price,
            net=net,
            tax=tax,
            goodwill=goodwill,
        )
        TimeEntry.objects.filter(pk=entry.pk).update(invoice_line=line)
    _totals(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total"])
    return invoice


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
    _totals(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total", "updated_at"])
    return line


@transaction.atomic
def invoice_line_remove(*, line: InvoiceLine) -> Invoice:
    """Remove a line from a draft; its time entries become unbilled again."""
    invoice = _editable(line.invoice)
    line.delete()
    _totals(invoice)
    invoice.save(update_fields=["subtotal", "tax_total", "total", "updated_at"])
    return invoice


def invoice_portal_url(invoice: Invoice, contact: Contact, actor: User | None) -> str:
    """A fresh magic link for ``contact`` that lands on the invoice's portal page."""
    from django.urls import reverse

    from rapport.clients.portal_links.services import portal_link_create, portal_link_url

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
def invoice_issue(*, invoice: Invoice, actor: User | None) -> Invoice:
    """Issue a draft: the next number of the workspace (gapless), today's date, the due date
    after the payment terms, the PDF and its SHA-256, the message to the client with a link
    to the portal, and the timeline. Refuses an invoice with no lines, a total of zero or
    less, or nobody to send it to."""
    from rapport.billing.documents import invoice_pdf_render
    from rapport.notifications.services import notification_queue

    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("client__workspace", "contact__client__workspace")
        .get(pk=invoice.pk)
    )
    if invoice.status != Invoice.Status.DRAFT:
        raise ApplicationError(_("This invoice is already issued."))
    if not invoice.lines.exists():
        raise ApplicationError(_("Add at least one line before issuing."), field="description")
    _totals(invoice)
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
    invoice.contact = contact
    invoice.language = contact.effective_language
    invoice.number = invoice_number_take(workspace_id=invoice.workspace_id)
    invoice.issue_date = today
    invoice.due_date = today + timedelta(days=PAYMENT_TERMS_DAYS)
    invoice.status = Invoice.Status.ISSUED
    invoice.next_reminder_on, invoice.reminder_step = _reminder_start(today, invoice.due_date)
    invoice.pdf = invoice_pdf_render(invoice)
    from rapport.core.pdf import sha256_hex

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
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alerts_resolve_for

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
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alerts_resolve_for

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
