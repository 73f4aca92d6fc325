"""The checks of a signature: who may sign what and when, the typed name, the file's hash."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from rapport.agreements.models import Document, Quote
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.pdf import sha256_hex


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


def signature_clean(*, typed_name: str, consent: bool) -> str:
    """The typed name with its spaces collapsed; refused without consent, without a name, or
    past 200 characters."""
    if not consent:
        raise ApplicationError(_("Tick the box to say that you agree."), field="consent")
    typed_name = " ".join(typed_name.split())
    if not typed_name:
        raise ApplicationError(_("Type your name as your signature."), field="typed_name")
    if len(typed_name) > 200:
        raise ApplicationError(_("At most 200 characters."), field="typed_name")
    return typed_name


def pdf_hash_check(document: Document) -> str:
    """The SHA-256 of the stored PDF, recomputed now; refused if it is not the one recorded when
    the document was made (never sign other bytes)."""
    pdf_sha256 = sha256_hex(bytes(document.pdf))
    if pdf_sha256 != document.sha256:
        raise ApplicationError(
            _("This document cannot be signed: its file does not match its record.")
        )
    return pdf_sha256
