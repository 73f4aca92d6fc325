"""Invoice reminders: 3 days before, on the day, the provider's alert the day after, then 3
and 10 days late; each once, in the contact's language, never for paid or cancelled invoices.
Time moves with time-machine; the messages travel over a real SMTP server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from rapport.billing.models import Invoice
from rapport.billing.scanners import scan_invoice_reminders
from rapport.billing.services.invoices import invoice_issue, invoice_line_add, invoice_void
from rapport.billing.services.payments import payment_record
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification
from rapport.notifications.tests.conftest import SmtpServer, smtp_server, smtp_settings  # noqa: F401

# Monday 2 November 2026, 10:00 in Athens (08:00 UTC): inside carol's contact hours.
T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def issue(alice: Persona, acme: Client, carol: Contact) -> Invoice:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="milestone",
        currency="EUR",
        language="el",
    )
    invoice_line_add(invoice=invoice, description="Design", quantity="1", unit_price="400")
    return invoice_issue(invoice=invoice, actor=alice.user)


def reminders(invoice: Invoice) -> list[str]:
    return list(
        Notification.objects.filter(subject_type="invoice", subject_id=invoice.pk)
        .exclude(kind="invoice_issued")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def run_days(clock: time_machine.Traveller, days: int) -> None:
    """Run the scanner every 6 hours for ``days`` days, twice each time (idempotency)."""
    for _ in range(days * 4):
        clock.shift(dt.timedelta(hours=6))
        now = dt.datetime.now(dt.UTC)
        scan_invoice_reminders(now)
        scan_invoice_reminders(now)


def test_each_step_once_in_order(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    invoice = issue(alice, acme, carol)
    assert invoice.due_date == dt.date(2026, 11, 16)
    run_days(clock, 10)  # to 12 November: nothing yet
    assert reminders(invoice) == []
    run_days(clock, 1)  # 13 November: 3 days before
    assert reminders(invoice) == ["invoice_reminder_before"]
    run_days(clock, 3)  # 16 November: due today
    assert reminders(invoice) == ["invoice_reminder_before"] * 2
    assert not Alert.objects.filter(kind=Alert.Kind.INVOICE_OVERDUE).exists()
    run_days(clock, 1)  # 17 November: overdue, the provider is told
    alert = Alert.objects.get(kind=Alert.Kind.INVOICE_OVERDUE)
    assert alert.subject_id == invoice.pk and invoice.display_number in alert.data["number"]
    run_days(clock, 2)  # 19 November: 3 days late
    assert reminders(invoice)[-1] == "invoice_reminder_overdue"
    run_days(clock, 10)  # 29 November: 10 days late, and then nothing more
    assert reminders(invoice) == ["invoice_reminder_before"] * 2 + ["invoice_reminder_overdue"] * 2
    run_days(clock, 30)
    assert len(reminders(invoice)) == 4
    assert Alert.objects.filter(kind=Alert.Kind.INVOICE_OVERDUE).count() == 1
    invoice.refresh_from_db()
    assert invoice.next_reminder_on is None
    texts = Notification.objects.filter(kind__startswith="invoice_reminder").values_list(
        "language", "subject"
    )
    assert {language for language, _s in texts} == {"el"}


def test_paid_and_cancelled_invoices_get_no_reminder(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    paid = issue(alice, acme, carol)
    cancelled = issue(alice, acme, carol)
    payment_record(invoice=paid, actor=alice.user, amount="400", received_on=paid.issue_date)
    invoice_void(invoice=cancelled, actor=alice.user)
    run_days(clock, 40)
    assert reminders(paid) == [] and reminders(cancelled) == []
    assert not Alert.objects.filter(kind=Alert.Kind.INVOICE_OVERDUE).exists()


def test_paying_closes_the_overdue_alert(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    invoice = issue(alice, acme, carol)
    run_days(clock, 16)
    alert = Alert.objects.get(kind=Alert.Kind.INVOICE_OVERDUE)
    assert alert.state == Alert.State.OPEN
    invoice.refresh_from_db()
    payment_record(invoice=invoice, actor=alice.user, amount="400", received_on=invoice.due_date)
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE


def test_a_scanner_down_for_days_sends_only_the_latest_step(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    invoice = issue(alice, acme, carol)
    clock.shift(DAY * 20)  # nothing ran; now 8 days late
    scan_invoice_reminders(dt.datetime.now(dt.UTC))
    assert reminders(invoice) == ["invoice_reminder_overdue"]
    assert Alert.objects.filter(kind=Alert.Kind.INVOICE_OVERDUE).count() == 1


def test_reminder_reaches_the_contact_over_smtp(
    clock: time_machine.Traveller,
    alice: Persona,
    acme: Client,
    carol: Contact,
    smtp_settings: SmtpServer,  # noqa: F811
) -> None:
    invoice = issue(alice, acme, carol)
    clock.shift(DAY * 11)
    scan_invoice_reminders(dt.datetime.now(dt.UTC))
    deliver_due(worker="test")
    assert smtp_settings.wait_for(2)
    received = {r.message["Subject"]: r for r in smtp_settings.received}
    assert all(r.rcpt_tos == ["carol@acme.example"] for r in received.values())
    reminder = received[Notification.objects.get(kind="invoice_reminder_before").subject]
    body = reminder.text
    assert invoice.display_number in body
    assert "400,00" in body  # carol reads Greek number formats
    assert "/p/o/" in body  # a portal link to see and pay it
