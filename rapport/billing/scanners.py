"""Invoice reminders, run by the tick (P09, P12 channels).

Each issued invoice carries the date of its next reminder step (``next_reminder_on``, a partial
index of the invoices that still have one). The scanner reads only the invoices whose step is
due, sends that step, and moves the date to the next step in the same transaction; the
notifications and the alert are keyed (``invoice_reminder:<id>:<offset>``,
``invoice_overdue:<id>``), so a second run, or two ticks at once, change nothing. Paid and
cancelled invoices have no next date: they are never read, never reminded.

Steps, in days from the due date: 3 before and on the day (``invoice_reminder_before``), the
day after (the provider's INVOICE_OVERDUE alert), 3 and 10 days late
(``invoice_reminder_overdue``). Polite, in the contact's language, through their channel and
within their contact hours (``notification_queue``). A tick that was down for days sends only
the latest step due, never a "due in 3 days" after the due date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.billing.models import Invoice
from rapport.billing.selectors import invoice_contact_for
from rapport.billing.services.invoices import REMINDER_OFFSETS, invoice_portal_url
from rapport.core.clock import workspace_today
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

BATCH = 500
ALERT_OFFSET = 1


@register_job
def scan_invoice_reminders(now: datetime) -> int:
    """Send the reminder steps that became due; returns how many steps were taken."""
    # A day ahead of UTC covers every time zone; the per-invoice check below is exact.
    horizon = now.date() + timedelta(days=1)
    due = list(
        Invoice.objects.filter(next_reminder_on__lte=horizon, status=Invoice.Status.ISSUED)
        .order_by("next_reminder_on", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    taken = 0
    for pk in due:
        taken += invoice_remind(pk, now)
    return taken


def invoice_remind(pk: int, now: datetime) -> int:
    """Take the reminder step of one invoice if it is due where the provider works."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("client__workspace", "contact__client__workspace")
            .defer("pdf")
            .filter(pk=pk, status=Invoice.Status.ISSUED, next_reminder_on__isnull=False)
            .first()
        )
        if invoice is None or invoice.due_date is None or invoice.next_reminder_on is None:
            return 0
        today = workspace_today(invoice.client.workspace, now)
        if invoice.next_reminder_on > today:
            return 0
        # The latest step whose day has come (earlier ones missed while down are skipped).
        step = invoice.reminder_step
        for candidate in range(invoice.reminder_step, len(REMINDER_OFFSETS)):
            if invoice.due_date + timedelta(days=REMINDER_OFFSETS[candidate]) <= today:
                step = candidate
        offset = REMINDER_OFFSETS[step]
        balance = invoice.balance
        if offset >= ALERT_OFFSET:
            alert_raise(
                workspace=invoice.workspace_id,
                kind=Alert.Kind.INVOICE_OVERDUE,
                dedupe_key=f"invoice_overdue:{invoice.pk}",
                client=invoice.client,
                assignee=invoice.client.account_owner_id,
                subject=invoice,
                data={
                    "number": invoice.display_number,
                    "client": invoice.client.name,
                    "balance": f"{balance} {invoice.currency}",
                    "due": invoice.due_date.isoformat(),
                },
            )
        if offset != ALERT_OFFSET:
            contact = invoice_contact_for(invoice.client, invoice.contact)
            if contact is not None:
                notification_queue(
                    contact=contact,
                    template="invoice_reminder_before"
                    if offset <= 0
                    else "invoice_reminder_overdue",
                    context={
                        "invoice": invoice,
                        "days": -offset if offset <= 0 else offset,
                        "portal_url": invoice_portal_url(invoice, contact, None),
                    },
                    subject=invoice,
                    dedupe_key=f"invoice_reminder:{invoice.pk}:{offset}",
                    now=now,
                )
        nxt = step + 1
        invoice.reminder_step = nxt
        invoice.next_reminder_on = (
            invoice.due_date + timedelta(days=REMINDER_OFFSETS[nxt])
            if nxt < len(REMINDER_OFFSETS)
            else None
        )
        invoice.save(update_fields=["reminder_step", "next_reminder_on"])
    return 1
