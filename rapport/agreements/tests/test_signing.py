"""Signing in the portal with an emailed one-time code, the countersignature, and every
refusal (P08). The happy path reads the code from a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from rapport.agreements.audit import audit_verify
from rapport.agreements.contracts.services import contract_create_from_quote
from rapport.agreements.models import AuditEvent, Document, Quote, Signature, SignatureCode
from rapport.agreements.signing.codes import signature_code_send
from rapport.agreements.signing.services import (
    Evidence,
    document_countersign,
    document_sign_client,
)
from rapport.agreements.tests import contract_fixtures
from rapport.agreements.tests.contract_fixtures import CODE, make_quote, portal_http
from rapport.billing.models import Invoice
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, client_update, contact_create
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification
from rapport.notifications.tests import conftest as mail_fixtures
from rapport.notifications.tests.conftest import SmtpServer
from rapport.projects.models import Project

quote = contract_fixtures.quote
smtp_server = mail_fixtures.smtp_server
smtp_settings = mail_fixtures.smtp_settings

EVIDENCE = Evidence(ip="198.51.100.4", user_agent="pytest")


@pytest.fixture
def contract(alice: Persona, quote: Quote) -> Document:
    return contract_create_from_quote(quote=quote, actor=alice.user)


def last_code(contact: Contact) -> str:
    """The code in the newest code message of the outbox (the happy path reads it from SMTP)."""
    note = Notification.objects.filter(kind="signature_code", contact=contact).latest("id")
    match = CODE.search(note.body)
    assert match
    return match.group(1)


def sign(
    document: Document,
    contact: Contact,
    code: str | None = None,
    *,
    typed_name: str | None = None,
    consent: bool = True,
) -> Signature:
    return document_sign_client(
        document=document,
        contact=contact,
        typed_name=contact.name if typed_name is None else typed_name,
        consent=consent,
        code=code if code is not None else last_code(contact),
        evidence=EVIDENCE,
    )


def test_signing_in_the_portal_with_the_code_from_smtp(
    smtp_settings: SmtpServer,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    contract: Document,
) -> None:
    client_update(client=acme, actor=alice.user, status=Client.Status.LEAD)
    Project.objects.filter(pk=website.pk).update(status=Project.Status.PROPOSED)
    http = portal_http(carol)

    page = http.get(reverse("portal:sign", args=[contract.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Σχέδια σελίδων" in body and contract.title in body
    assert http.get(reverse("portal:sign_pdf", args=[contract.pk])).content == bytes(contract.pdf)
    http.get(reverse("portal:sign", args=[contract.pk]))  # a reload is not a second "viewed"
    assert contract.audit.filter(verb="viewed").count() == 1

    response = http.post(reverse("portal:sign_code", args=[contract.pk]))
    assert response.status_code == 302
    deliver_due(worker="test")
    code_note = Notification.objects.get(kind="signature_code")
    assert code_note.channel == "email" and code_note.urgent
    assert smtp_settings.wait_for(1)
    mail = next(
        r
        for r in smtp_settings.received
        if "carol@acme.example" in r.rcpt_tos and r.message["Subject"] == code_note.subject
    )
    found = CODE.search(mail.text)
    assert found is not None
    code = found.group(1)
    stored = SignatureCode.objects.get(document=contract)
    assert code not in stored.code_hash  # only a keyed hash is kept

    response = http.post(
        reverse("portal:sign_confirm", args=[contract.pk]),
        {"consent": "on", "typed_name": "Carol Georgiou", "code": code},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    contract.refresh_from_db()
    assert contract.status == Document.Status.AWAITING_PROVIDER
    signature = Signature.objects.get(document=contract, party=Signature.Party.CLIENT)
    assert signature.contact == carol
    assert signature.typed_name == "Carol Georgiou"
    assert signature.ip == "203.0.113.7"
    assert signature.user_agent == "TestBrowser/1.0"
    assert signature.pdf_sha256 == contract.sha256
    assert signature.code == stored
    assert "Carol" not in signature.consent_text and contract.title in signature.consent_text
    stored.refresh_from_db()
    assert stored.used_at is not None
    countersign = Commitment.objects.get(kind=Commitment.Kind.SIGNATURE, state="open")
    assert countersign.due_at > timezone.now()
    alert = Alert.objects.get(kind=Alert.Kind.CONTRACT_TO_COUNTERSIGN)
    assert alert.subject_id == contract.pk

    # The provider countersigns in the staff UI.
    response = alice_http.post(
        reverse("agreements:contract_countersign", args=[contract.pk]),
        {"consent": "on", "typed_name": "Alice Papadopoulou"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Document.Status.SIGNED
    assert contract.signatures.count() == 2
    acme.refresh_from_db()
    website.refresh_from_db()
    assert acme.status == Client.Status.ACTIVE
    assert website.status == Project.Status.ACTIVE
    deposit = Invoice.objects.get(project=website)
    assert deposit.stage is not None and deposit.stage.kind == "deposit"
    countersign.refresh_from_db()
    assert countersign.state == Commitment.State.KEPT
    alert.refresh_from_db()
    assert alert.state != Alert.State.OPEN
    assert Notification.objects.filter(kind="contract_signed", contact=carol).exists()
    verbs = list(contract.audit.order_by("seq").values_list("verb", flat=True))
    assert verbs == ["created", "sent", "viewed", "code_sent", "signed_client", "countersigned"]
    assert audit_verify(contract).ok


def test_wrong_codes_are_counted_then_refused(
    alice: Persona, carol: Contact, contract: Document
) -> None:
    signature_code_send(document=contract, contact=carol)
    right = last_code(carol)
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises(ApplicationError) as info:
            sign(contract, carol, code=wrong)
        assert info.value.field == "code"
    # The attempts were recorded although each signing was refused.
    assert SignatureCode.objects.get(document=contract).attempts == 5
    assert contract.audit.filter(verb="code_failed").count() == 5
    with pytest.raises(ApplicationError, match="Too many"):
        sign(contract, carol, code=right)
    assert not Signature.objects.exists()
    # A new code works again.
    signature_code_send(document=contract, contact=carol)
    sign(contract, carol)
    assert Signature.objects.count() == 1


def test_an_expired_code_is_refused(alice: Persona, carol: Contact, contract: Document) -> None:
    signature_code_send(document=contract, contact=carol)
    later = timezone.now() + timedelta(minutes=16)
    with time_machine.travel(later), pytest.raises(ApplicationError, match="expired"):
        sign(contract, carol)
    assert not Signature.objects.exists()


def test_a_new_code_replaces_the_old_one(
    alice: Persona, carol: Contact, contract: Document
) -> None:
    signature_code_send(document=contract, contact=carol)
    old = last_code(carol)
    signature_code_send(document=contract, contact=carol)
    new = last_code(carol)
    if old != new:
        with pytest.raises(ApplicationError, match="replaced"):
            sign(contract, carol, code=old)
    sign(contract, carol, code=new)
    assert Signature.objects.count() == 1


def test_a_used_code_and_a_second_signature_are_refused(
    alice: Persona, carol: Contact, contract: Document
) -> None:
    signature_code_send(document=contract, contact=carol)
    code = last_code(carol)
    sign(contract, carol, code=code)
    with pytest.raises(ApplicationError, match="already signed"):
        sign(contract, carol, code=code)
    with pytest.raises(ApplicationError, match="already signed"):
        signature_code_send(document=contract, contact=carol)
    assert Signature.objects.count() == 1


def test_consent_and_name_are_required(alice: Persona, carol: Contact, contract: Document) -> None:
    signature_code_send(document=contract, contact=carol)
    with pytest.raises(ApplicationError) as info:
        sign(contract, carol, consent=False)
    assert info.value.field == "consent"
    with pytest.raises(ApplicationError) as info:
        sign(contract, carol, typed_name="   ")
    assert info.value.field == "typed_name"
    assert not Signature.objects.exists()


def test_an_expired_document_cannot_be_signed(
    alice: Persona, carol: Contact, contract: Document
) -> None:
    signature_code_send(document=contract, contact=carol)
    code = last_code(carol)
    with time_machine.travel(contract.sign_by + timedelta(minutes=1)):
        with pytest.raises(ApplicationError, match="time to sign"):
            sign(contract, carol, code=code)
        with pytest.raises(ApplicationError, match="time to sign"):
            signature_code_send(document=contract, contact=carol)


def test_a_withdrawn_or_superseded_document_cannot_be_signed(
    alice: Persona, carol: Contact, contract: Document, quote: Quote
) -> None:
    signature_code_send(document=contract, contact=carol)
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.SUPERSEDED)
    with pytest.raises(ApplicationError, match="replaced"):
        sign(contract, carol)
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.ACCEPTED)
    Document.objects.filter(pk=contract.pk).update(status=Document.Status.VOID)
    with pytest.raises(ApplicationError, match="withdrawn"):
        sign(contract, carol)
    assert not Signature.objects.exists()


def test_only_the_signer_signs(
    alice: Persona, acme: Client, carol: Contact, contract: Document
) -> None:
    dora = contact_create(client=acme, actor=alice.user, name="Dora", email="dora@acme.example")
    with pytest.raises(ApplicationError):
        signature_code_send(document=contract, contact=dora)
    signature_code_send(document=contract, contact=carol)
    with pytest.raises(ApplicationError):
        sign(contract, dora, code=last_code(carol))
    http = portal_http(dora)
    page = http.get(reverse("portal:sign", args=[contract.pk]))
    assert dora.effective_language == "el"  # the client's language, as dora has none of her own
    with translation.override("el"):
        not_you = gettext("%(name)s signs this document for you.") % {"name": carol.name}
    assert "signs this document for you" not in not_you
    assert page.status_code == 200 and escape(not_you) in page.content.decode()
    response = http.post(
        reverse("portal:sign_confirm", args=[contract.pk]),
        {"consent": "on", "typed_name": "Dora", "code": last_code(carol)},
    )
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_a_contact_of_another_client_gets_404(alice: Persona, contract: Document) -> None:
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other Co")
    olga = contact_create(client=other, actor=alice.user, name="Olga", email="olga@other.example")
    http = portal_http(olga)
    for name in ("portal:sign", "portal:sign_pdf"):
        assert http.get(reverse(name, args=[contract.pk])).status_code == 404
    for name in ("portal:sign_code", "portal:sign_confirm"):
        assert http.post(reverse(name, args=[contract.pk]), {"code": "1"}).status_code == 404
    assert not SignatureCode.objects.exists()


def test_portal_shows_wrong_code_on_the_form(
    alice: Persona, carol: Contact, contract: Document
) -> None:
    http = portal_http(carol)
    http.post(reverse("portal:sign_code", args=[contract.pk]))
    response = http.post(
        reverse("portal:sign_confirm", args=[contract.pk]),
        {"consent": "on", "typed_name": "Carol", "code": "12"},
    )
    assert response.status_code == 400
    assert "attempts left" in response.content.decode() or "σωστός" in response.content.decode()
    assert SignatureCode.objects.get().attempts == 1


def test_countersign_refusals(alice: Persona, carol: Contact, contract: Document) -> None:
    with pytest.raises(ApplicationError, match="not signed"):
        document_countersign(
            document=contract, actor=alice.user, typed_name="A", consent=True, evidence=EVIDENCE
        )
    signature_code_send(document=contract, contact=carol)
    sign(contract, carol)
    with pytest.raises(ApplicationError) as info:
        document_countersign(
            document=contract, actor=alice.user, typed_name="A", consent=False, evidence=EVIDENCE
        )
    assert info.value.field == "consent"
    document_countersign(
        document=contract, actor=alice.user, typed_name="Alice", consent=True, evidence=EVIDENCE
    )
    with pytest.raises(ApplicationError, match="already signed"):
        document_countersign(
            document=contract, actor=alice.user, typed_name="A", consent=True, evidence=EVIDENCE
        )
    assert Invoice.objects.filter(project=contract.project).count() == 1


def test_no_deposit_no_invoice(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    no_deposit = make_quote(alice, acme, carol, website, deposit=None, series=3)
    contract = contract_create_from_quote(quote=no_deposit, actor=alice.user)
    signature_code_send(document=contract, contact=carol)
    sign(contract, carol)
    document_countersign(
        document=contract, actor=alice.user, typed_name="Alice", consent=True, evidence=EVIDENCE
    )
    assert not Invoice.objects.filter(project=website).exists()


def test_signing_rechecks_the_pdf_bytes(alice: Persona, carol: Contact, contract: Document) -> None:
    signature_code_send(document=contract, contact=carol)
    Document.objects.filter(pk=contract.pk).update(pdf=b"%PDF-forged")
    with pytest.raises(ApplicationError, match="does not match"):
        sign(contract, carol)
    assert not Signature.objects.exists()
    assert not AuditEvent.objects.filter(verb="signed_client").exists()


def _code_messages(contact: Contact) -> list[Notification]:
    return list(Notification.objects.filter(kind="signature_code", contact=contact).order_by("id"))


def test_the_outbox_keeps_no_working_code(contract: Document, carol: Contact) -> None:
    """A code's message loses its six digits once the code is replaced, used or expired; the
    rest of the message stays as the record of what was sent."""
    from rapport.agreements.signing.codes import CLEARED

    signature_code_send(document=contract, contact=carol)
    first = last_code(carol)
    signature_code_send(document=contract, contact=carol)  # replaces the first code
    second = last_code(carol)
    old_message, new_message = _code_messages(carol)
    assert first not in old_message.body and first not in old_message.html
    assert CLEARED in old_message.body and CLEARED in old_message.html
    assert second in new_message.body  # still to be used

    sign(contract, carol, code=second)
    new_message.refresh_from_db()
    assert second not in new_message.body and second not in new_message.html
    assert CLEARED in new_message.body
    assert SignatureCode.objects.filter(cleared_at__isnull=True).count() == 0


def test_the_tick_clears_codes_that_expired_unused(contract: Document, carol: Contact) -> None:
    from rapport.agreements.signing.codes import CLEARED, signature_codes_clear

    sent = signature_code_send(document=contract, contact=carol)
    code = last_code(carol)
    assert signature_codes_clear(timezone.now()) == 0  # still valid: left alone
    later = sent.expires_at + timedelta(seconds=1)
    assert signature_codes_clear(later) == 1
    assert signature_codes_clear(later) == 0  # once
    [message] = _code_messages(carol)
    assert code not in message.body and CLEARED in message.body
    with time_machine.travel(later, tick=False), pytest.raises(ApplicationError):
        sign(contract, carol, code=code)
