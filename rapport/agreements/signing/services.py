"""Signature writes: the client's signature with the emailed code, the provider's
countersignature, withdrawing a document, verifying it (P08, P19)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.agreements.audit import Verification, audit_record, audit_verify
from rapport.agreements.models import Document, Signature, SignatureCode
from rapport.agreements.signals import (
    amendment_client_signed,
    amendment_voided,
    contract_countersigned,
)
from rapport.agreements.signing.codes import code_check, signature_code_clear
from rapport.agreements.signing.selectors import document_locked
from rapport.agreements.signing.validation import pdf_hash_check, signable_check, signature_clean
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.clients.services import client_update
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep, commitment_open
from rapport.conversations.services import business_hours
from rapport.core.clock import add_business_hours
from rapport.core.errors import ApplicationError
from rapport.core.texts import text_ref
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, alerts_resolve_for, notification_queue
from rapport.projects.models import Project
from rapport.projects.services import project_update

if TYPE_CHECKING:
    from rapport.accounts.models import User

# "We countersign within 2 business days" (the commitment opened when the client signed).
COUNTERSIGN_WITHIN_HOURS = 16


@dataclass(frozen=True)
class Evidence:
    """Where a signature came from (read from the request by the view)."""

    ip: str | None
    user_agent: str


def consent_text(document: Document, language: str) -> str:
    """The sentence the signer agrees to, in their language; stored with the signature."""
    with translation.override(language):
        return _(
            "I have read “%(title)s” and agree to it. Typing my name below is my signature."
        ) % {"title": document.title}


def provider_consent_text(document: Document, language: str) -> str:
    with translation.override(language):
        return _(
            "I countersign “%(title)s” on behalf of %(provider)s. Typing my name is my signature."
        ) % {"title": document.title, "provider": document.client.workspace.name}


def document_portal_url(document: Document, token: str) -> str:
    """A portal link that opens on the document's page (after the confirm step)."""
    return f"{portal_link_url(token)}?next={reverse('portal:sign', args=[document.pk])}"


def document_sign_client(
    *,
    document: Document,
    contact: Contact,
    typed_name: str,
    consent: bool,
    code: str,
    evidence: Evidence,
) -> Signature:
    """The client's signature with the emailed code (P08).

    Refused: a contact who is not the signer, a withdrawn, superseded, expired or already
    signed document, no consent or no name, a wrong, expired, replaced or used code, more than
    5 attempts. A wrong code is counted and recorded even though nothing is signed. On success
    the document waits for the countersignature (a commitment and an alert for the provider);
    an amendment's change request is approved by this signature.
    """
    with transaction.atomic():
        document = document_locked(document)
        now = timezone.now()
        signable_check(document, contact, now=now)
        typed_name = signature_clean(typed_name=typed_name, consent=consent)
        latest, refusal = code_check(document=document, contact=contact, code=code, now=now)
        if refusal is None:
            signature = _sign_client(document, contact, latest, typed_name, evidence, now)
    # Raised after the commit: the failed attempt stays counted and recorded.
    if refusal is not None:
        raise refusal
    return signature


def _sign_client(
    document: Document,
    contact: Contact,
    code: SignatureCode,
    typed_name: str,
    evidence: Evidence,
    now: datetime,
) -> Signature:

    pdf_sha256 = pdf_hash_check(document)
    SignatureCode.objects.filter(pk=code.pk).update(used_at=now)
    signature_code_clear(signature_code=code, now=now)
    signature = Signature.objects.create(
        document=document,
        party=Signature.Party.CLIENT,
        contact=contact,
        typed_name=typed_name,
        consent_text=consent_text(document, contact.effective_language),
        code=code,
        ip=evidence.ip,
        user_agent=evidence.user_agent[:500],
        signed_at=now,
        pdf_sha256=pdf_sha256,
    )
    document.client_signed_at = now
    document.status = Document.Status.AWAITING_PROVIDER
    document.save(update_fields=["client_signed_at", "status", "updated_at"])
    audit_record(
        document=document,
        verb="signed_client",
        data={
            "signature": signature.pk,
            "contact": contact.pk,
            "typed_name": typed_name,
            "code": code.pk,
            "ip": evidence.ip,
            "user_agent": signature.user_agent,
            "pdf_sha256": pdf_sha256,
        },
        at=now,
    )
    client = document.client
    timeline_record(
        client=client,
        verb="contract.client_signed",
        actor_contact=contact,
        subject=document,
        data={"name": typed_name, "title": document.title},
    )
    workspace = client.workspace
    commitment_open(
        client=client,
        kind=Commitment.Kind.SIGNATURE,
        wording=text_ref("commitment.countersign", title=document.title),
        due_at=add_business_hours(now, COUNTERSIGN_WITHIN_HOURS, business_hours(workspace)),
        project=document.project,
        dedupe_key=f"countersign:{document.pk}",
    )
    alert_raise(
        workspace=document.workspace_id,
        kind=Alert.Kind.CONTRACT_TO_COUNTERSIGN,
        dedupe_key=f"countersign:{document.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=document,
        data={"title": document.title, "name": typed_name, "document_id": document.pk},
    )
    if document.kind == Document.Kind.AMENDMENT and document.change_request_id is not None:
        amendment_client_signed.send(sender=Document, document=document, contact=contact)
    return signature


@transaction.atomic
def document_countersign(
    *,
    document: Document,
    actor: User,
    typed_name: str,
    consent: bool,
    evidence: Evidence,
) -> Signature:
    """The provider countersigns a document the client signed: it is signed by both sides.

    For a contract, work may start: the client and project become active, and
    ``contract_countersigned`` is sent (billing invoices the deposit and runs the kickoff if it
    is ready). The client is told, with the portal link.
    """
    document = document_locked(document)
    if document.status != Document.Status.AWAITING_PROVIDER:
        if document.status == Document.Status.SIGNED:
            raise ApplicationError(_("This document is already signed by both sides."))
        raise ApplicationError(_("The client has not signed this document yet."))
    typed_name = signature_clean(typed_name=typed_name, consent=consent)
    pdf_sha256 = pdf_hash_check(document)
    now = timezone.now()
    language = translation.get_language() or document.language
    signature = Signature.objects.create(
        document=document,
        party=Signature.Party.PROVIDER,
        user=actor,
        typed_name=typed_name,
        consent_text=provider_consent_text(document, language),
        ip=evidence.ip,
        user_agent=evidence.user_agent[:500],
        signed_at=now,
        pdf_sha256=pdf_sha256,
    )
    document.provider_signed_at = now
    document.status = Document.Status.SIGNED
    document.save(update_fields=["provider_signed_at", "status", "updated_at"])
    audit_record(
        document=document,
        verb="countersigned",
        data={
            "signature": signature.pk,
            "user": actor.pk,
            "typed_name": typed_name,
            "ip": evidence.ip,
            "user_agent": signature.user_agent,
            "pdf_sha256": pdf_sha256,
        },
        at=now,
    )
    timeline_record(
        client=document.client,
        verb="contract.countersigned",
        actor=actor,
        subject=document,
        data={"title": document.title},
    )
    for commitment in Commitment.objects.filter(
        dedupe_key=f"countersign:{document.pk}", state=Commitment.State.OPEN
    ).select_related("client"):
        commitment_keep(commitment=commitment, actor=actor, now=now)
    alerts_resolve_for(subject=document, kinds=[Alert.Kind.CONTRACT_TO_COUNTERSIGN])
    if document.kind == Document.Kind.CONTRACT:
        contract_activate(document=document, actor=actor)
    signer = document.signer
    if signer.archived_at is None:
        _link, token = portal_link_create(contact=signer, actor=actor)
        notification_queue(
            contact=signer,
            template="contract_signed",
            context={"document": document, "url": document_portal_url(document, token)},
            subject=document,
            dedupe_key=f"contract_signed:{document.pk}",
        )
    return signature


def contract_activate(*, document: Document, actor: User | None) -> None:
    """Work may start: the lead becomes a client and the proposed project active; then
    ``contract_countersigned`` is sent, on which billing invoices the deposit and runs the
    kickoff if it is ready (P09, P11). Inside the countersigning transaction."""
    client, project = document.client, document.project
    if client.status == Client.Status.LEAD:
        client_update(client=client, actor=actor, status=Client.Status.ACTIVE)
    if project.status == Project.Status.PROPOSED:
        project_update(project=project, actor=actor, status=Project.Status.ACTIVE)
    contract_countersigned.send(sender=Document, document=document, actor=actor)


@transaction.atomic
def document_void(*, document: Document, actor: User | None, reason: str) -> Document:
    """Withdraw a document nobody has signed yet (a signed one stays; it is evidence).

    Its codes stop working; an amendment's change request is withdrawn with it.
    """
    document = document_locked(document)
    reason = " ".join(reason.split())
    if document.client_signed_at is not None or document.status != Document.Status.AWAITING_CLIENT:
        raise ApplicationError(_("A signed document cannot be withdrawn."))
    if not reason:
        raise ApplicationError(_("Say why it is withdrawn."), field="reason")
    if len(reason) > 500:
        raise ApplicationError(_("At most 500 characters."), field="reason")
    now = timezone.now()
    document.status = Document.Status.VOID
    document.save(update_fields=["status", "updated_at"])
    SignatureCode.objects.filter(document=document, used_at__isnull=True).update(expires_at=now)
    audit_record(
        document=document,
        verb="voided",
        data={"by": actor.pk if actor else None, "reason": reason},
        at=now,
    )
    timeline_record(
        client=document.client,
        verb="contract.voided",
        actor=actor,
        subject=document,
        data={"title": document.title, "reason": reason[:100]},
    )
    if document.change_request_id is not None:
        amendment_voided.send(sender=Document, document=document, actor=actor)
    return document


@transaction.atomic
def document_verify(*, document: Document, actor: User | None) -> Verification:
    """Verify the document (see :func:`rapport.agreements.audit.audit_verify`) and record that
    the verification took place, with its outcome."""
    document = document_locked(document)
    result = audit_verify(document)
    audit_record(
        document=document,
        verb="verified",
        data={
            "by": actor.pk if actor else None,
            "ok": result.ok,
            "pdf_ok": result.pdf_ok,
            "chain_ok": result.chain_ok,
            "signatures_ok": result.signatures_ok,
            "events": result.events,
        },
    )
    return result


def document_viewed(*, document: Document, contact: Contact) -> None:
    """The signer opened the document in the portal (recorded once per portal session by the
    view)."""
    with transaction.atomic():
        document = document_locked(document)
        audit_record(document=document, verb="viewed", data={"contact": contact.pk})
