"""The invoice of a payment stage, issued when the contract is signed; the deposit paid
starts the kickoff (P09, P11)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from rapport.agreements.models import Document, PaymentStage, Quote
from rapport.billing.kickoff import kickoff_if_ready
from rapport.billing.models import Invoice, InvoiceSequence, PaymentMethod
from rapport.billing.services.payments import payment_record
from rapport.billing.services.stages import invoice_issue_for_stage, stage_split
from rapport.billing.tests.conftest import add_stage
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.pdf import sha256_hex
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import KickoffItem, Project


def test_deposit_invoice_is_issued_with_number_pdf_and_message(
    alice: Persona, schedule: dict[str, PaymentStage], contract: Document, bank: PaymentMethod
) -> None:
    invoice = invoice_issue_for_stage(stage=schedule["deposit"], contract=contract, actor=None)
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.kind == Invoice.Kind.DEPOSIT
    assert invoice.number == 1
    assert invoice.issue_date is not None and invoice.due_date is not None
    assert invoice.display_number == f"INV-{invoice.issue_date.year}-0001"
    assert invoice.total == Decimal("930.00")
    assert invoice.subtotal + invoice.tax_total == invoice.total
    assert invoice.subtotal == Decimal("750.00")  # 930 / 1.24
    line = invoice.lines.get()
    assert "Deposit 30%" in line.description and "Q-1" in line.description
    assert line.tax_rate == Decimal("24")
    assert (invoice.due_date - invoice.issue_date).days == 14
    pdf = bytes(invoice.pdf or b"")
    assert pdf.startswith(b"%PDF")
    assert invoice.sha256 == sha256_hex(pdf)
    note = Notification.objects.get(kind="invoice_issued")
    assert note.contact == contract.signer
    assert note.language == "el"
    assert "/p/o/" in note.body
    assert TimelineEvent.objects.filter(verb="invoice.issued", subject_id=invoice.pk).exists()
    assert InvoiceSequence.objects.get(workspace=alice.workspace).last_number == 1


def test_an_unlabelled_stage_is_described_in_the_clients_language(
    quote: Quote, contract: Document
) -> None:
    stage = add_stage(quote, "deposit", "930.00")
    with translation.override("en"):  # the provider countersigns in English
        invoice = invoice_issue_for_stage(stage=stage, contract=contract, actor=None)
    with translation.override("el"):  # carol reads Greek
        deposit = str(PaymentStage.Kind.DEPOSIT.label)
    assert deposit != "Deposit"
    assert invoice.lines.get().description == f"{deposit} ({quote.reference}: {quote.title})"


def test_a_stage_is_invoiced_once(schedule: dict[str, PaymentStage], contract: Document) -> None:
    invoice_issue_for_stage(stage=schedule["deposit"], contract=contract, actor=None)
    with pytest.raises(ApplicationError):
        invoice_issue_for_stage(stage=schedule["deposit"], contract=contract, actor=None)
    assert Invoice.objects.count() == 1


def test_paying_the_deposit_kicks_off_once(
    alice: Persona,
    website: Project,
    schedule: dict[str, PaymentStage],
    contract: Document,
    carol: Contact,
) -> None:
    invoice = invoice_issue_for_stage(stage=schedule["deposit"], contract=contract, actor=None)
    assert kickoff_if_ready(project=website) is False  # deposit not paid yet
    payment_record(invoice=invoice, actor=alice.user, amount="430", received_on=invoice.issue_date)
    assert not KickoffItem.objects.exists()
    payment_record(invoice=invoice, actor=alice.user, amount="500", received_on=invoice.issue_date)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert KickoffItem.objects.filter(project=website).count() >= 5
    welcome = Notification.objects.get(kind="kickoff_welcome")
    assert welcome.contact == carol
    assert Alert.objects.filter(kind=Alert.Kind.KICKOFF_READY).count() == 1
    assert kickoff_if_ready(project=website) is False
    assert Notification.objects.filter(kind="kickoff_welcome").count() == 1


def test_the_welcome_names_the_update_cadence_in_the_signers_language(
    alice: Persona, website: Project, schedule: dict[str, PaymentStage], contract: Document
) -> None:
    invoice = invoice_issue_for_stage(stage=schedule["deposit"], contract=contract, actor=None)
    with translation.override("en"):  # the provider records the payment in English
        payment_record(
            invoice=invoice, actor=alice.user, amount="930", received_on=invoice.issue_date
        )
    body = Notification.objects.get(kind="kickoff_welcome").body
    with translation.override("el"):  # carol reads Greek; the project is weekly, on Fridays
        weekly, friday = str(Project.Cadence.WEEKLY.label), str(Project.Weekday.FRIDAY.label)
    assert (weekly, friday) != ("Weekly", "Friday")
    assert weekly.lower() in body and friday in body
    assert "weekly" not in body and "Friday" not in body


def test_no_deposit_in_schedule_kicks_off_at_signing(
    website: Project, quote: Quote, contract: Document
) -> None:
    assert kickoff_if_ready(project=website) is True
    assert kickoff_if_ready(project=website) is False


def test_mixed_rates_split_in_proportion() -> None:
    net, tax, shown = stage_split(
        amount=Decimal("1000.00"),
        rates={Decimal(24), Decimal(0)},
        subtotal=Decimal("1500.00"),
        total=Decimal("1740.00"),
        currency="EUR",
    )
    assert net + tax == Decimal("1000.00")
    assert net == Decimal("862.07")
    assert shown == Decimal("16.00")
