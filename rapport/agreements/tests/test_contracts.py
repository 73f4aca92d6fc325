"""Contracts from accepted quotes (P08): rendering in the client's language, the PDF read back,
templates, immutability, the audit chain and its verification."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.agreements.audit import GENESIS, audit_verify, pdf_matches
from rapport.agreements.contracts.services import contract_create_from_quote
from rapport.agreements.contracts.terms import (
    contract_template_for,
    contract_template_save,
    fill_placeholders,
)
from rapport.agreements.models import AuditEvent, Document, Quote, SignedDocumentError
from rapport.agreements.tests import contract_fixtures
from rapport.agreements.tests.contract_fixtures import make_quote, pdf_text
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.pdf import sha256_hex
from rapport.notifications.models import Notification
from rapport.projects.models import Project
from rapport.projects.services import project_create

quote = contract_fixtures.quote


def test_greek_contract_reads_back_from_the_pdf(
    alice: Persona, quote: Quote, carol: Contact
) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)

    assert document.kind == Document.Kind.CONTRACT
    assert document.status == Document.Status.AWAITING_CLIENT
    assert document.language == "el"
    assert document.signer == carol
    assert document.sha256 == sha256_hex(bytes(document.pdf))
    text = pdf_text(bytes(document.pdf))
    for expected in (
        "Carol Georgiou",
        "Acme Ltd",
        "Σχέδια σελίδων",
        "5 σελίδες: αρχική, κατάλογος, προϊόν, καλάθι, επικοινωνία",
        ".fig και .pdf",
        "Φωτογράφιση προϊόντων",
        "3.720,00 €",  # Babel's Greek money format
        "900,00 €",
        "45,00 €",
    ):
        assert expected in text, expected
    # The data the portal shows is the data the PDF was made from.
    assert document.data["totals"]["total"] == "3.720,00\xa0€"
    assert document.data["deliverables"][0]["format"] == ".fig και .pdf"


def test_romanian_contract_keeps_comma_below_letters(alice: Persona, website: Project) -> None:
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Țesătoria Ștefănescu SRL",
        status=Client.Status.LEAD,
        language="ro",
        currency="RON",
    )
    contact = contact_create(
        client=client, actor=alice.user, name="Ștefan Țurcanu", email="stefan@tesatoria.example"
    )
    project = project_create(client=client, actor=alice.user, title="Magazin online")
    ro_quote = make_quote(alice, client, contact, project, language="ro", currency="RON", series=7)

    document = contract_create_from_quote(quote=ro_quote, actor=alice.user)

    text = pdf_text(bytes(document.pdf))
    assert "Ștefan Țurcanu" in text
    assert "Țesătoria Ștefănescu SRL" in text
    assert "Traducerea textelor în română" in text
    assert "3.720,00 RON" in text
    assert document.language == "ro"


def test_creation_is_recorded_and_the_signer_told(
    alice: Persona, quote: Quote, carol: Contact
) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)

    events = list(AuditEvent.objects.filter(document=document).order_by("seq"))
    assert [e.verb for e in events] == ["created", "sent"]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[0].data["sha256"] == document.sha256
    note = Notification.objects.get(kind="contract_to_sign", contact=carol)
    assert f"?next={reverse('portal:sign', args=[document.pk])}" in note.body
    assert document.title in note.subject
    assert TimelineEvent.objects.filter(verb="contract.created", subject_id=document.pk).exists()
    assert audit_verify(document).ok


def test_a_second_call_returns_the_same_contract(alice: Persona, quote: Quote) -> None:
    first = contract_create_from_quote(quote=quote, actor=alice.user)
    assert contract_create_from_quote(quote=quote, actor=alice.user) == first
    assert Document.objects.filter(quote=quote).count() == 1


@pytest.mark.parametrize("status", [Quote.Status.SUPERSEDED, Quote.Status.DECLINED])
def test_no_contract_from_a_quote_not_accepted(alice: Persona, quote: Quote, status: str) -> None:
    quote.status = status
    quote.save()
    with pytest.raises(ApplicationError) as info:
        contract_create_from_quote(quote=quote, actor=alice.user)
    assert info.value.field == "quote"
    assert not Document.objects.exists()


def test_no_contract_without_a_signer(alice: Persona, quote: Quote) -> None:
    quote.contact = None
    quote.decided_by = None
    quote.save()
    with pytest.raises(ApplicationError) as info:
        contract_create_from_quote(quote=quote, actor=alice.user)
    assert info.value.field == "contact"
    assert not Document.objects.exists()


def test_client_text_is_never_typst_markup(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    odd = make_quote(alice, acme, carol, website)
    odd.out_of_scope = '#strong[x] $y$ ") #panic("no")'
    odd.save()
    document = contract_create_from_quote(quote=odd, actor=alice.user)
    assert '#strong[x] $y$ ") #panic("no")' in pdf_text(bytes(document.pdf))


# --- Templates ------------------------------------------------------------------------------


def test_placeholders_fill_known_names_and_leave_the_rest_visible() -> None:
    text = "For {client} by {provider}: {unknown} {client.__class__} {{x}} {"
    filled = fill_placeholders(text, {"client": "Acme", "provider": "Alice"})
    assert filled == "For Acme by Alice: {unknown} {client.__class__} {{x}} {"


def test_owner_edits_the_terms_of_one_language(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    default = contract_template_for(alice.workspace, "el")
    assert "{client}" in default.body
    contract_template_save(
        membership=alice.membership,
        language="el",
        title="Σύμβαση για {project}",
        body="Ο πελάτης {client} πληρώνει {total}.\n\nΔεύτερη παράγραφος.",
    )
    document = contract_create_from_quote(
        quote=make_quote(alice, acme, carol, website), actor=alice.user
    )
    assert document.title == "Σύμβαση για New website"
    assert document.data["terms"] == [
        "Ο πελάτης Acme Ltd πληρώνει 3.720,00\xa0€.",
        "Δεύτερη παράγραφος.",
    ]
    # Another language keeps its own (default) terms.
    assert contract_template_for(alice.workspace, "en").body != document.body


def test_only_the_owner_edits_terms(alice: Persona) -> None:
    from rapport.accounts.models import Membership, User

    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    member = Membership.objects.create(workspace=alice.workspace, user=bob)
    with pytest.raises(ApplicationError):
        contract_template_save(membership=member, language="en", title="T", body="B")
    with pytest.raises(ApplicationError) as info:
        contract_template_save(membership=alice.membership, language="xx", title="T", body="B")
    assert info.value.field == "language"


def test_terms_page_saves_per_language(alice: Persona, alice_http: HttpClient) -> None:
    url = reverse("agreements:contract_templates")
    assert alice_http.get(url + "?language=ro").status_code == 200
    response = alice_http.post(url, {"language": "ro", "title": "Contract {project}", "body": ""})
    assert response.status_code == 400
    response = alice_http.post(
        url, {"language": "ro", "title": "Contract {project}", "body": "Termeni."}
    )
    assert response.status_code == 302
    assert contract_template_for(alice.workspace, "ro").body == "Termeni."


# --- Immutability and the audit chain ---------------------------------------------------------


def _client_signed(document: Document) -> Document:
    Document.objects.filter(pk=document.pk).update(
        client_signed_at=document.created_at, status=Document.Status.AWAITING_PROVIDER
    )
    document.refresh_from_db()
    return document


@pytest.mark.parametrize(
    ("field", "value"),
    [("body", "other terms"), ("pdf", b"%PDF-forged"), ("sha256", "0" * 64), ("title", "x")],
)
def test_a_signed_document_refuses_changes(
    alice: Persona, quote: Quote, field: str, value: object
) -> None:
    document = _client_signed(contract_create_from_quote(quote=quote, actor=alice.user))
    setattr(document, field, value)
    with pytest.raises(SignedDocumentError):
        document.save()
    stored = Document.objects.get(pk=document.pk)
    assert stored.sha256 == sha256_hex(bytes(stored.pdf))


def test_an_unsigned_document_status_may_change_and_signed_one_keeps_content(
    alice: Persona, quote: Quote
) -> None:
    document = _client_signed(contract_create_from_quote(quote=quote, actor=alice.user))
    document.status = Document.Status.SIGNED  # status is not content
    document.save()
    assert Document.objects.get(pk=document.pk).status == Document.Status.SIGNED


def test_audit_events_are_append_only(alice: Persona, quote: Quote) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    event = document.audit.earliest("seq")
    event.data = {"forged": True}
    with pytest.raises(SignedDocumentError):
        event.save()


def test_editing_an_event_in_the_database_breaks_the_chain(alice: Persona, quote: Quote) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    assert audit_verify(document).ok
    first = document.audit.earliest("seq")
    AuditEvent.objects.filter(pk=first.pk).update(data={**first.data, "signer": "Mallory"})
    result = audit_verify(document)
    assert not result.ok
    assert not result.chain_ok
    assert result.pdf_ok
    assert any("1" in p for p in result.problems)


def test_deleting_an_event_breaks_the_chain(alice: Persona, quote: Quote) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    AuditEvent.objects.filter(document=document, seq=1).delete()
    assert not audit_verify(document).chain_ok


def test_changed_pdf_bytes_fail_verification(alice: Persona, quote: Quote) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    Document.objects.filter(pk=document.pk).update(pdf=bytes(document.pdf) + b"\n%tampered")
    document.refresh_from_db()
    result = audit_verify(document)
    assert not result.pdf_ok and not result.ok


def test_uploaded_pdf_is_checked_against_the_stored_hash(
    alice: Persona, alice_http: HttpClient, quote: Quote
) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    original = bytes(document.pdf)
    middle = len(original) // 2  # one byte changed inside the page content
    tampered = original[:middle] + bytes([original[middle] ^ 0x01]) + original[middle + 1 :]
    assert tampered != original
    assert pdf_matches(document, original)
    assert not pdf_matches(document, tampered)

    url = reverse("agreements:contract_check_pdf", args=[document.pk])
    headers = {"HX-Request": "true"}
    same = alice_http.post(
        url, {"file": SimpleUploadedFile("c.pdf", original, "application/pdf")}, headers=headers
    )
    assert same.status_code == 200
    assert "is exactly the document on record" in same.content.decode()
    other = alice_http.post(
        url, {"file": SimpleUploadedFile("c.pdf", tampered, "application/pdf")}, headers=headers
    )
    assert "is NOT the document on record" in other.content.decode()
    missing = alice_http.post(url, {}, headers=headers)
    assert missing.status_code == 400


def test_verify_button_records_the_verification(
    alice: Persona, alice_http: HttpClient, quote: Quote
) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    url = reverse("agreements:contract_verify", args=[document.pk])
    response = alice_http.post(url, headers={"HX-Request": "true"})
    assert "Verified" in response.content.decode()
    last = document.audit.latest("seq")
    assert last.verb == "verified" and last.data["ok"] is True
    # The "verified" event is itself part of the chain.
    assert audit_verify(document).ok
    first = document.audit.earliest("seq")
    AuditEvent.objects.filter(pk=first.pk).update(verb="sent")
    response = alice_http.post(url, headers={"HX-Request": "true"})
    assert "Verification failed" in response.content.decode()


def test_staff_pages_show_the_contract(
    alice: Persona, alice_http: HttpClient, quote: Quote, website: Project, acme: Client
) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    page = alice_http.get(reverse("agreements:contract_detail", args=[document.pk]))
    assert page.status_code == 200
    assert document.sha256 in page.content.decode()
    pdf = alice_http.get(reverse("agreements:contract_pdf", args=[document.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(document.pdf)
    # The contracts cards of the project and client pages, loaded after each page.
    for owner, card in (
        (
            reverse("projects:detail", args=[website.pk]),
            reverse("agreements:project_contracts", args=[website.pk]),
        ),
        (
            reverse("clients:detail", args=[acme.pk]),
            reverse("agreements:client_contracts", args=[acme.pk]),
        ),
    ):
        assert f'hx-get="{card}"' in alice_http.get(owner).content.decode()
        section = alice_http.get(card, headers={"HX-Request": "true"})
        assert document.title in section.content.decode()


def test_void_only_while_unsigned(alice: Persona, alice_http: HttpClient, quote: Quote) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    url = reverse("agreements:contract_void", args=[document.pk])
    alice_http.post(url, {"reason": "Wrong price"})
    document.refresh_from_db()
    assert document.status == Document.Status.VOID
    assert document.audit.latest("seq").verb == "voided"
    # A new contract may then be made from the same quote.
    again = contract_create_from_quote(quote=quote, actor=alice.user)
    assert again.pk != document.pk
    _client_signed(again)
    alice_http.post(reverse("agreements:contract_void", args=[again.pk]), {"reason": "x"})
    again.refresh_from_db()
    assert again.status == Document.Status.AWAITING_PROVIDER


def test_money_is_decimal_in_the_data(alice: Persona, quote: Quote) -> None:
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    assert document.quote is not None
    assert isinstance(document.quote.total, Decimal)
    assert all(isinstance(v, str) for v in document.data["totals"].values())
