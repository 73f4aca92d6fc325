"""One-time signing codes: sent by email, kept only as a keyed hash, cleared from the message
once used, replaced or expired (P08, ADR 0007)."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rapport.agreements.audit import audit_record
from rapport.agreements.models import Document, SignatureCode
from rapport.agreements.signing.selectors import document_locked
from rapport.agreements.signing.validation import signable_check
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.periodic import register_job
from rapport.notifications.models import Notification
from rapport.notifications.services import notification_queue

CODE_VALID = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
# A signer may ask for a new code this often; more is someone hammering the button.
CODES_PER_HOUR = 5


def code_hash(code: str, *, document_id: int, contact_id: int) -> str:
    """A keyed hash: a leaked table of hashes does not give six-digit codes away."""
    # The salt is fixed (it was this module's dotted path once): changing it would void every
    # code sent and not yet used.
    return salted_hmac(
        "rapport.agreements.signing", f"{document_id}:{contact_id}:{code}", algorithm="sha256"
    ).hexdigest()


SIX_DIGITS = re.compile(r"\b\d{6}\b")
CLEARED = "••••••"


def signature_code_clear(*, signature_code: SignatureCode, now: datetime) -> None:
    """Blank the code in the text of the message that carried it (the outbox keeps the record
    of what was sent, not a code anyone could still use). Only the six digits whose keyed hash
    is this code's are replaced. Called when the code is used or replaced, and by the tick for
    codes that expired unused."""

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
    with transaction.atomic():
        document = document_locked(document)
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


def code_failure_record(document: Document, code: SignatureCode | None, reason: str) -> None:
    """Count a wrong code and record it; committed even though the signing is refused."""
    if code is not None:
        SignatureCode.objects.filter(pk=code.pk).update(attempts=code.attempts + 1)
    audit_record(
        document=document,
        verb="code_failed",
        data={"code": code.pk if code else None, "reason": reason},
    )


def code_check(
    *, document: Document, contact: Contact, code: str, now: datetime
) -> tuple[SignatureCode, ApplicationError | None]:
    """The contact's latest code for ``document`` and, when ``code`` is not a good use of it,
    the refusal to raise after the transaction commits: a used, expired or replaced code, a
    wrong one, or too many attempts. A refusal is counted and recorded here (the caller must
    let it commit). Raises at once when no code was asked for."""
    code = code.strip().replace(" ", "")
    latest = (
        SignatureCode.objects.filter(document=document, contact=contact)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        raise ApplicationError(_("Ask for a code first."), field="code")
    given = code_hash(code, document_id=document.pk, contact_id=contact.pk)
    matches = hmac.compare_digest(given, latest.code_hash)
    refusal: ApplicationError | None = None
    if latest.used_at is not None:
        refusal = ApplicationError(
            _("This code was already used; ask for a new one."), field="code"
        )
        code_failure_record(document, None, "used")
    elif latest.attempts >= CODE_MAX_ATTEMPTS:
        refusal = ApplicationError(_("Too many wrong codes; ask for a new one."), field="code")
        code_failure_record(document, None, "attempts")
    elif latest.expires_at <= now:
        refusal = ApplicationError(_("This code has expired; ask for a new one."), field="code")
        code_failure_record(document, None, "expired")
    elif not matches:
        older = SignatureCode.objects.filter(
            document=document, contact=contact, code_hash=given
        ).exclude(pk=latest.pk)
        if older.exists():
            refusal = ApplicationError(
                _("This code was replaced by a newer one; use the latest code."), field="code"
            )
        else:
            left = CODE_MAX_ATTEMPTS - latest.attempts - 1
            refusal = ApplicationError(
                _("That code is not right (%(left)s attempts left).") % {"left": left},
                field="code",
            )
        code_failure_record(document, latest, "wrong")
    return latest, refusal
