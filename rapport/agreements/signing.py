"""Signing a document: one-time codes, the client's signature, the countersignature (P08, P19).

The evidence of a signature is the consent text shown, the typed name, the one-time code that
was emailed to the signer (stored only as a keyed hash), the time, the IP address, the user
agent and the SHA-256 of the stored PDF recomputed at that moment (ADR 0007).
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rapport.agreements.audit import Verification, audit_record, audit_verify
from rapport.agreements.models import Document, Quote, Signature, SignatureCode
from rapport.core.errors import ApplicationError
from rapport.core.pdf import sha256_hex
from rapport.core.periodic import register_job
from rapport.core.timeline import timeline_record

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.clients.models import Contact

CODE_VALID = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
# A signer may ask for a new code this often; more is someone hammering the button.
CODES_PER_HOUR = 5
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


def code_hash(code: str, *, document_id: int, contact_id: int) -> str:
    """A keyed hash: a leaked table of hashes does not give six-digit codes away."""
    return salted_hmac(
        "rapport.agreements.signing", f"{document_id}:{contact_id}:{code}", algorithm="sha256"
    ).hexdigest()


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("quote", "client")
        .get(pk=document.pk)
    )


def signable_check(document: Document, contact: Contact, *, now: datetime) -> None:
    """Refuse, with the reason, a document that ``contact`` cannot sign now."""
    if contact.pk != document.signer_id:
        raise ApplicationError(
            _("Only the person named to sign this document can sign it."), code="not_found"
        )
    if document.status == Document.Status.VOID:
        raise ApplicationError(_("This document was withdrawn; it cannot be signed."))
    if document.quote is not None and document.quote.status == Quote.Status.SUPERSEDED:
        raise ApplicationError(
            _("This document was replaced by a newer version; it cannot be signed.")
        )
    if document.client_signed_at is not None or document.status != Document.Status.AWAITING_CLIENT:
        raise ApplicationError(_("This document is already signed."))
    if document.sign_by <= now:
        raise ApplicationError(
            _("The time to sign this document has passed; ask us for a new one.")
        )


SIX_DIGITS = re.compile(r"\b\d{6}\b")
CLEARED = "••••••"


def signature_code_clear(*, signature_code: SignatureCode, now: datetime) -> None:
    """Blank the code in the text of the message that carried it (the outbox keeps the record
    of what was sent, not a code anyone could still use). Only the six digits whose keyed hash
    is this code's are replaced. Called when the code is used or replaced, and by the tick for
    codes that expired unused."""
    from rapport.notifications.models import Notification

    def blank(match: re.Match[str]) -> str:
        digits = match.group(0)
        mine = code_hash(
            digits, document_id=signature_code.document_id, contact_id=signature_code.contact_id
        )
        return CLEARED if hmac.compare_digest(mine, signature_code.code_hash) else digits

    note = signature_code.notification
    if note is not None:
        Notification.objects.filter(pk=note.pk).update(
            body=SIX_DIGITS.sub(blank, note.body), html=SIX_DIGITS.sub(blank, note.html)
        )
    SignatureCode.objects.filter(pk=signature_code.pk).update(cleared_at=now)


@register_job
def signature_codes_clear(now: datetime) -> int:
    """Clear the messages of codes that expired unused (partial index ``sigcode_to_clear``)."""
    due = list(
        SignatureCode.objects.filter(cleared_at__isnull=True, expires_at__lte=now)
        .select_related("notification")
        .order_by("expires_at")[:500]
    )
    for signature_code in due:
        signature_code_clear(signature_code=signature_code, now=now)
    return len(due)


def signature_code_send(*, document: Document, contact: Contact) -> SignatureCode:
    """Email ``contact`` a new six-digit code for ``document`` (older codes stop working).

    The code is valid for 15 minutes, for 5 attempts, once. It goes by email whatever the
    contact's preferred channel: the signature's evidence is a code sent to their address.
    """
    from rapport.notifications.services import notification_queue

    with transaction.atomic():
        document = _locked(document)
        now = timezone.now()
        signable_check(document, contact, now=now)
        if not contact.email:
            raise ApplicationError(
                _("We have no email address for you; ask us to add it."), field="email"
            )
        recent = SignatureCode.objects.filter(
            document=document, contact=contact, created_at__gt=now - timedelta(hours=1)
        ).count()
        if recent >= CODES_PER_HOUR:
            raise ApplicationError(
                _("Too many codes asked for in the last hour; try again later."), field="code"
            )
        replaced = list(
            SignatureCode.objects.filter(
                document=document, contact=contact, used_at__isnull=True, expires_at__gt=now
            )
        )
        for older in replaced:
            SignatureCode.objects.filter(pk=older.pk).update(expires_at=now)
            signature_code_clear(signature_code=older, now=now)
        code = f"{secrets.randbelow(10**6):06d}"
        signature_code = SignatureCode.objects.create(
            document=document,
            contact=contact,
            code_hash=code_hash(code, document_id=document.pk, contact_id=contact.pk),
            created_at=now,
            expires_at=now + CODE_VALID,
        )
        notification = notification_queue(
            contact=contact,
            template="signature_code",
            context={"document": document, "code": code, "minutes": 15},
            subject=document,
            channel="email",
            urgent=True,
        )
        SignatureCode.objects.filter(pk=signature_code.pk).update(notification=notification)
        signature_code.notification = notification
        audit_record(
            document=document,
            verb="code_sent",
            data={"code": signature_code.pk, "to": contact.email, "notification": notification.pk},
            at=now,
        )
    return signature_code


def _code_failure(document: Document, code: SignatureCode | None, reason: str) -> None:
    """Count a wrong code and record it; committed even though the signing is refused."""
    if code is not None:
        SignatureCode.objects.filter(pk=code.pk).update(attempts=code.attempts + 1)
    audit_record(
        document=document,
        verb="code_failed",
        data={"code": code.pk if code else None, "reason": reason},
    )


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
    typed_name = " ".join(typed_name.split())
    code = code.strip().replace(" ", "")
    refusal: ApplicationError | None = None
    with transaction.atomic():
        document = _locked(document)
        now = timezone.now()
        signable_check(document, contact, now=now)
        if not consent:
            raise ApplicationError(_("Tick the box to say that you agree."), field="consent")
        if not typed_name:
            raise ApplicationError(_("Type your name as your signature."), field="typed_name")
        if len(typed_name) > 200:
            raise ApplicationError(_("At most 200 characters."), field="typed_name")
        latest = (
            SignatureCode.objects.filter(document=document, contact=contact)
            .order_by("-created_at", "-id")
            .first()
        )
        if latest is None:
            raise ApplicationError(_("Ask for a code first."), field="code")
        given = code_hash(code, document_id=document.pk, contact_id=contact.pk)
        matches = hmac.compare_digest(given, latest.code_hash)
        if latest.used_at is not None:
            refusal = ApplicationError(
                _("This code was already used; ask for a new one."), field="code"
            )
            _code_failure(document, None, "used")
        elif latest.attempts >= CODE_MAX_ATTEMPTS:
            refusal = ApplicationError(_("Too many wrong codes; ask for a new one."), field="code")
            _code_failure(document, None, "attempts")
        elif latest.expires_at <= now:
            refusal = ApplicationError(_("This code has expired; ask for a new one."), field="code")
            _code_failure(document, None, "expired")
        elif not matches:
            older = SignatureCode.objects.filter(
                document=document, contact=contact, code_hash=given
            ).exclude(pk=latest.pk)
            if older.exists():
                refusal = ApplicationError(
                    _("This code was replaced by a newer one; use the latest code."),
                    field="code",
                )
            else:
                left = CODE_MAX_ATTEMPTS - latest.attempts - 1
                refusal = ApplicationError(
                    _("That code is not right (%(left)s attempts left).") % {"left": left},
                    field="code",
                )
            _code_failure(document, latest, "wrong")
        if refusal is None:
            signature = _sign_client(document, contact, latest, typed_name, evidence, now)
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
    from rapport.commitments.models import Commitment
    from rapport.commitments.services import commitment_open
    from rapport.conversations.services import business_hours
    from rapport.core.clock import add_business_hours
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alert_raise

    pdf_sha256 = sha256_hex(bytes(document.pdf))
    if pdf_sha256 != document.sha256:
        # Never sign other bytes than those recorded when the document was made.
        raise ApplicationError(
            _("This document cannot be signed: its file does not match its record.")
        )
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
        wording=_("Countersign %(title)s") % {"title": document.title},
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
        from rapport.projects.changes import change_request_approve

        change = document.change_request
        assert change is not None
        change_request_approve(change_request=change, contact=contact)
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

    For a contract, work may start: the client and project become active, the deposit is
    invoiced and the kickoff runs if ready. The client is told, with the portal link.
    """
    from rapport.agreements.contracts import contract_activate, document_portal_url
    from rapport.clients.portal_links.services import portal_link_create
    from rapport.commitments.models import Commitment
    from rapport.commitments.services import commitment_keep
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alerts_resolve_for, notification_queue

    document = _locked(document)
    if document.status != Document.Status.AWAITING_PROVIDER:
        if document.status == Document.Status.SIGNED:
            raise ApplicationError(_("This document is already signed by both sides."))
        raise ApplicationError(_("The client has not signed this document yet."))
    if not consent:
        raise ApplicationError(_("Tick the box to say that you agree."), field="consent")
    typed_name = " ".join(typed_name.split())
    if not typed_name:
        raise ApplicationError(_("Type your name as your signature."), field="typed_name")
    if len(typed_name) > 200:
        raise ApplicationError(_("At most 200 characters."), field="typed_name")
    pdf_sha256 = sha256_hex(bytes(document.pdf))
    if pdf_sha256 != document.sha256:
        raise ApplicationError(
            _("This document cannot be signed: its file does not match its record.")
        )
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


@transaction.atomic
def document_void(*, document: Document, actor: User | None, reason: str) -> Document:
    """Withdraw a document nobody has signed yet (a signed one stays; it is evidence).

    Its codes stop working; an amendment's change request is withdrawn with it.
    """
    document = _locked(document)
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
    change = document.change_request
    if change is not None:
        from rapport.projects.changes import OPEN_STATES, change_request_withdraw

        if change.status in OPEN_STATES:
            change_request_withdraw(change_request=change, actor=actor)
    return document


@transaction.atomic
def document_verify(*, document: Document, actor: User | None) -> Verification:
    """Verify the document (see :func:`rapport.agreements.audit.audit_verify`) and record that
    the verification took place, with its outcome."""
    document = _locked(document)
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
        document = _locked(document)
        audit_record(document=document, verb="viewed", data={"contact": contact.pk})
