"""The audit trail of a signed document: hash-chained events and their verification (P08).

Each :class:`AuditEvent` stores ``hash = SHA-256(prev_hash + canonical JSON of (seq, verb, data,
at))``. Editing or deleting any event breaks the hash of every event after it, so
:func:`audit_verify` recomputes the chain from the first event and the SHA-256 of the stored PDF
(ADR 0007).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.agreements.models import AuditEvent, Document
from rapport.core.pdf import sha256_hex

# The first event chains to this: 64 zeros.
GENESIS = "0" * 64

VERBS = (
    "created",
    "sent",
    "viewed",
    "code_sent",
    "code_failed",
    "signed_client",
    "countersigned",
    "voided",
    "verified",
)


def _moment(at: datetime) -> str:
    """An instant as text, the same before and after a round trip through any database."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(*, prev_hash: str, seq: int, verb: str, data: dict[str, Any], at: datetime) -> str:
    """SHA-256 of the previous hash and the canonical JSON of this event."""
    canonical = json.dumps(
        {"seq": seq, "verb": verb, "data": data, "at": _moment(at)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def audit_record(
    *, document: Document, verb: str, data: dict[str, Any] | None = None, at: datetime | None = None
) -> AuditEvent:
    """Append one event to ``document``'s chain.

    Call inside the service's transaction with the document row locked
    (``select_for_update``), so that two steps cannot take the same sequence number; the unique
    (document, seq) constraint refuses it if they try.
    """
    if verb not in VERBS:
        raise ValueError(f"unknown audit verb {verb!r}")
    # Only JSON values: what is hashed now must be what the database gives back later.
    clean = json.loads(json.dumps(data or {}, default=str))
    # Microseconds are kept by SQLite and PostgreSQL alike; nothing finer.
    at = (at or timezone.now()).astimezone(UTC)
    last = (
        AuditEvent.objects.filter(document=document).order_by("-seq").values("seq", "hash").first()
    )
    seq = last["seq"] + 1 if last else 1
    prev_hash = last["hash"] if last else GENESIS
    return AuditEvent.objects.create(
        document=document,
        seq=seq,
        verb=verb,
        data=clean,
        at=at,
        prev_hash=prev_hash,
        hash=event_digest(prev_hash=prev_hash, seq=seq, verb=verb, data=clean, at=at),
    )


@dataclass
class Verification:
    """What one verification found; ``ok`` only when every check passed."""

    pdf_ok: bool
    chain_ok: bool
    signatures_ok: bool
    events: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.pdf_ok and self.chain_ok and self.signatures_ok


def chain_problems(events: list[AuditEvent]) -> list[str]:
    """The breaks in a chain of events (ordered by ``seq``); empty when it is intact."""
    problems: list[str] = []
    prev_hash = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            problems.append(_("Event %(seq)s is missing from the trail.") % {"seq": expected_seq})
            break
        if event.prev_hash != prev_hash:
            problems.append(
                _("Event %(seq)s does not follow the event before it.") % {"seq": event.seq}
            )
        digest = event_digest(
            prev_hash=event.prev_hash, seq=event.seq, verb=event.verb, data=event.data, at=event.at
        )
        if digest != event.hash:
            problems.append(
                _("Event %(seq)s (%(verb)s) was changed after it was written.")
                % {"seq": event.seq, "verb": event.verb}
            )
        prev_hash = event.hash
    return problems


def audit_verify(document: Document) -> Verification:
    """Recompute the stored PDF's SHA-256, each signature's hash and the event chain.

    A read: recording that a verification took place is :func:`document_verify`'s job.
    """
    problems: list[str] = []
    actual = sha256_hex(bytes(document.pdf))
    pdf_ok = actual == document.sha256
    if not pdf_ok:
        problems.append(_("The stored PDF does not match its recorded SHA-256."))
    signatures_ok = True
    for signature in document.signatures.all():
        if signature.pdf_sha256 != document.sha256 or signature.pdf_sha256 != actual:
            signatures_ok = False
            problems.append(
                _("The %(party)s signature was made on other bytes than the stored PDF.")
                % {"party": signature.get_party_display()}
            )
    events = list(AuditEvent.objects.filter(document=document).order_by("seq"))
    chain = chain_problems(events)
    problems += chain
    return Verification(
        pdf_ok=pdf_ok,
        chain_ok=not chain and bool(events),
        signatures_ok=signatures_ok,
        events=len(events),
        problems=problems,
    )


def pdf_matches(document: Document, content: bytes) -> bool:
    """Whether ``content`` (an uploaded file) is byte for byte the document's PDF."""
    return sha256_hex(content) == document.sha256
