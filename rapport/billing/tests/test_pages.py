"""Staff and portal pages of billing, end to end through HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.agreements.models import Document, PaymentStage
from rapport.billing.models import Invoice, PaymentMethod, TimeEntry
from rapport.billing.services.stages import invoice_issue_for_stage
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona
from rapport.core.tests.sections import page_with_sections
from rapport.projects.models import Project


@pytest.fixture
def deposit(schedule: dict[str, PaymentStage], contract: Document, bank: PaymentMethod) -> Invoice:
    return invoice_issue_for_stage(stage=schedule["deposit"], contract=contract, actor=None)


def portal_http(contact: Contact, actor: User | None) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=actor)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def test_invoice_list_and_detail(alice_http: HttpClient, deposit: Invoice, acme: Client) -> None:
    page = alice_http.get(reverse("billing:invoice_list"))
    assert page.status_code == 200
    assert deposit.display_number in page.content.decode()
    page = alice_http.get(reverse("billing:invoice_list") + f"?client={acme.pk}&status=issued")
    assert deposit.display_number in page.content.decode()
    page = alice_http.get(reverse("billing:invoice_list") + "?status=paid")
    assert deposit.display_number not in page.content.decode()
    detail = alice_http.get(reverse("billing:invoice_detail", args=[deposit.pk]))
    body = detail.content.decode()
    assert "Deposit 30%" in body and "Piraeus Bank" in body and "GR16 0110" in body


def test_project_page_warns_of_work_before_deposit(
    alice_http: HttpClient, website: Project, deposit: Invoice
) -> None:
    body = alice_http.get(reverse("projects:detail", args=[website.pk])).content.decode()
    assert "Work before deposit" in body
    listing = alice_http.get(reverse("projects:list")).content.decode()
    assert "Work before deposit" in listing
    assert deposit.issue_date is not None
    alice_http.post(
        reverse("billing:payment_add", args=[deposit.pk]),
        {"amount": "930.00", "received_on": deposit.issue_date.isoformat()},
    )
    body = alice_http.get(reverse("projects:detail", args=[website.pk])).content.decode()
    assert "Work before deposit" not in body
    # The billing panel loads after the page: contract signed + deposit paid, the kickoff.
    panel = alice_http.get(
        reverse("billing:project_billing", args=[website.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Kickoff checklist" in panel


def test_record_payment_form_errors_name_the_field(
    alice_http: HttpClient, deposit: Invoice
) -> None:
    assert deposit.issue_date is not None
    response = alice_http.post(
        reverse("billing:payment_add", args=[deposit.pk]),
        {"amount": "1000", "received_on": deposit.issue_date.isoformat()},
    )
    assert response.status_code == 400
    assert "more than the balance" in response.content.decode()
    deposit.refresh_from_db()
    assert deposit.paid_total == 0


def test_draft_hourly_invoice_from_time_with_goodwill(
    alice: Persona, alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    url = reverse("billing:time_entry_add", args=[website.pk])
    assert website.start_date is not None
    today = website.start_date.isoformat()
    for hours, billing in (("2", "billable"), ("1.5", "goodwill"), ("3", "non_billable")):
        alice_http.post(
            url,
            {
                "worked_on": today,
                "hours": hours,
                "description": f"{billing} work",
                "billing": billing,
            },
        )
    assert TimeEntry.objects.filter(project=website).count() == 3
    response = alice_http.post(
        reverse("billing:invoice_new", args=[website.pk]), {"source": "hourly", "rate": "50"}
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get(kind=Invoice.Kind.HOURLY)
    lines = list(invoice.lines.all())
    assert [(line.goodwill, line.net) for line in lines] == [
        (False, Decimal("100.00")),
        (True, Decimal("0.00")),
    ]
    assert invoice.total == Decimal("100.00")
    alice_http.post(reverse("billing:invoice_issue", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED and invoice.number == 1


def test_payment_methods_page(alice_http: HttpClient, alice: Persona) -> None:
    response = alice_http.post(
        reverse("billing:payment_methods"),
        {"kind": "bank", "account_holder": "Alice", "iban": "GR16 0110 1250 0000 0001 2300 694"},
    )
    assert response.status_code == 400
    assert "check digits" in response.content.decode()
    assert not PaymentMethod.objects.exists()
    response = alice_http.post(
        reverse("billing:payment_methods"), {"kind": "card", "url": "https://pay.example/alice"}
    )
    assert response.status_code == 302
    assert "pay.example" in alice_http.get(reverse("billing:payment_methods")).content.decode()


def test_a_member_who_is_not_the_owner_gets_404_when_changing_methods(
    alice: Persona, bank: PaymentMethod
) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    http = HttpClient()
    http.force_login(bob)
    assert http.get(reverse("billing:payment_methods")).status_code == 200
    card = {"kind": "card", "url": "https://pay.example/bob"}
    assert http.post(reverse("billing:payment_methods"), card).status_code == 404
    edit = reverse("billing:payment_method_edit", args=[bank.pk])
    assert http.get(edit).status_code == 200
    assert http.post(edit, card).status_code == 404
    bank.refresh_from_db()
    assert bank.kind == PaymentMethod.Kind.BANK
    assert list(PaymentMethod.objects.values_list("pk", flat=True)) == [bank.pk]


def test_portal_invoices_in_the_contacts_language(
    alice: Persona, carol: Contact, deposit: Invoice
) -> None:
    http = portal_http(carol, alice.user)
    listing = http.get(reverse("portal:invoices"))
    body = listing.content.decode()
    assert listing.status_code == 200
    assert deposit.display_number in body
    assert "930,00" in body  # Greek number format
    assert "GR16 0110 1250 0000 0001 2300 695" in body
    page = http.get(reverse("portal:invoice", args=[deposit.pk]))
    assert page.status_code == 200
    pdf = http.get(reverse("portal:invoice_pdf", args=[deposit.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(Invoice.objects.get(pk=deposit.pk).pdf or b"")
    home = page_with_sections(http, reverse("portal:home"))
    assert deposit.display_number in home


def test_client_page_shows_balance(alice_http: HttpClient, acme: Client, deposit: Invoice) -> None:
    url = reverse("billing:client_balance", args=[acme.pk])
    # The page holds the section's place and loads it after it is shown.
    page = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    assert f'hx-get="{url}"' in page
    body = alice_http.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="balance"' in body
    assert "930" in body
