"""The invoice PDF read back (Greek and Romanian text, the IBAN), and payment methods'
validation (P10)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from rapport.accounts.models import Membership, User
from rapport.billing.models import Invoice, PaymentMethod
from rapport.billing.payment_methods import bic_check, iban_check, payment_method_save
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.billing.services.time_entries import invoice_draft_hourly, time_entry_add
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.pdf import sha256_hex
from rapport.projects.services import project_create


def pdf_text(invoice: Invoice) -> str:
    stored = Invoice.objects.get(pk=invoice.pk).pdf
    assert stored is not None
    reader = PdfReader(io.BytesIO(bytes(stored)))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("language", "client_name", "contact_name", "line", "amount"),
    [
        (
            "el",
            "Ζαχαροπλαστείο Ηλιούπολης Α.Ε.",
            "Γιώργος Παπαδόπουλος",
            "Σχεδιασμός λογότυπου",
            "1.240,00",
        ),
        (
            "ro",
            "Țesătoria Ștefănești SRL",
            "Ștefan Țurcanu",
            "Identitate vizuală și ședință",
            "1.240,00",
        ),
    ],
)
def test_pdf_reads_back_in_the_clients_language(
    alice: Persona,
    bank: PaymentMethod,
    language: str,
    client_name: str,
    contact_name: str,
    line: str,
    amount: str,
) -> None:
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name=client_name,
        language=language,
        currency="EUR",
    )
    contact = contact_create(
        client=client, actor=alice.user, name=contact_name, email="x@example.com"
    )
    payment_method_save(membership=alice.membership, kind="paypal", email="alice@paypal.example")
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=client,
        contact=contact,
        kind="milestone",
        currency="EUR",
        language=language,
    )
    invoice_line_add(
        invoice=invoice, description=line, quantity="1", unit_price="1000", tax_rate="24"
    )
    invoice_line_add(
        invoice=invoice, description="Συμβουλή / sfat", quantity="2", unit_price="0", goodwill=True
    )
    invoice = invoice_issue(invoice=invoice, actor=alice.user)
    text = flat(pdf_text(invoice))
    for expected in (client_name, contact_name, line, invoice.display_number, "Alice Design"):
        assert expected in text, expected
    assert amount in text  # 1,000 + 24 % in the locale's format
    assert "GR16 0110 1250 0000 0001 2300 695" in text
    assert "PIRBGRAA" in text and "alice@paypal.example" in text
    with translation.override(language):
        assert flat(gettext("Goodwill: given at no charge")) in text
    assert invoice.sha256 == sha256_hex(bytes(Invoice.objects.get(pk=invoice.pk).pdf or b""))


def test_client_text_is_never_markup(
    alice: Persona, acme: Client, carol: Contact, bank: PaymentMethod
) -> None:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="milestone",
        currency="EUR",
        language="en",
    )
    invoice_line_add(
        invoice=invoice, description="#strong[x] $a$ <b>", quantity="1", unit_price="10"
    )
    invoice = invoice_issue(invoice=invoice, actor=alice.user)
    assert "#strong[x] $a$ <b>" in flat(pdf_text(invoice))


@pytest.mark.parametrize(
    "iban",
    [
        "GR16 0110 1250 0000 0001 2300 695",
        "RO49 AAAA 1B31 0075 9384 0000",
        "DE89 3704 0044 0532 0130 00",
        "gb29nwbk60161331926819",
    ],
)
def test_valid_ibans(iban: str) -> None:
    assert iban_check(iban) == iban.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("GR16 0110 1250 0000 0001 2300 694", "check digits do not match"),
        ("RO49 AAAA 1B31 0075 9384 000", "has 24 characters"),
        ("ZZ12 3456", "not a country"),
        ("GR16-0110-1250-0000-0001-2300-69!", "only letters and digits"),
        ("", "Enter the IBAN"),
    ],
)
def test_invalid_ibans_say_why(iban: str, message: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        iban_check(iban)
    assert message in caught.value.message
    assert caught.value.field == "iban"


def test_bic_shape() -> None:
    assert bic_check("pirbgraa") == "PIRBGRAA"
    assert bic_check("DEUTDEFF500") == "DEUTDEFF500"
    with pytest.raises(ApplicationError):
        bic_check("PIRB1")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "bank", "iban": "GR1601101250000000012300695"}, "account_holder"),
        ({"kind": "card", "url": "http://pay.example"}, "url"),
        ({"kind": "paypal"}, "email"),
        ({"kind": "paypal", "url": "https://evil.example/paypal"}, "url"),
        ({"kind": "paypal", "email": "not-an-email"}, "email"),
        ({"kind": "ewallet", "label": "Revolut"}, "instructions"),
        ({"kind": "crypto"}, "kind"),
    ],
)
def test_payment_method_rules(alice: Persona, data: dict[str, Any], field: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        payment_method_save(membership=alice.membership, **data)
    assert caught.value.field == field
    assert not PaymentMethod.objects.exists()


def test_only_the_owner_edits_payment_methods(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    member = Membership.objects.create(workspace=alice.workspace, user=bob)
    with pytest.raises(ApplicationError):
        payment_method_save(membership=member, kind="cash")


def test_non_billable_time_never_reaches_an_invoice(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    project = project_create(client=acme, actor=alice.user, title="Support", currency="EUR")
    today = project.created_at.date()
    time_entry_add(
        project=project, actor=alice.user, worked_on=today, hours="1", description="Fix", rate="80"
    )
    time_entry_add(
        project=project,
        actor=alice.user,
        worked_on=today,
        hours="2",
        description="Internal",
        billing="non_billable",
    )
    invoice = invoice_draft_hourly(project=project, actor=alice.user)
    assert [line.description[-3:] for line in invoice.lines.all()] == ["Fix"]
    assert invoice.total == 80
    with pytest.raises(ApplicationError, match="no unbilled billable time"):
        invoice_draft_hourly(project=project, actor=alice.user)  # billed once


def test_hourly_needs_a_rate(alice: Persona, acme: Client, carol: Contact) -> None:
    project = project_create(client=acme, actor=alice.user, title="Support", currency="EUR")
    time_entry_add(
        project=project,
        actor=alice.user,
        worked_on=project.created_at.date(),
        hours="1",
        description="Fix",
    )
    with pytest.raises(ApplicationError) as caught:
        invoice_draft_hourly(project=project, actor=alice.user)
    assert caught.value.field == "rate"
    assert not Invoice.objects.exists()
