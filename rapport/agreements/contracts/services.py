"""Contracts made from accepted quotes, and amendments made from change requests (P08, P19).

A document is rendered once, in the client's language, from the workspace's contract template
and the quote (:mod:`.documents`); its PDF bytes and their SHA-256 are stored and never change
after the first signature (ADR 0007). Signing lives in :mod:`rapport.agreements.signing`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.agreements.audit import audit_record
from rapport.agreements.contracts.documents import (
    date_text,
    document_labels,
    money_text,
    paragraphs,
    quote_data,
    render_document,
)
from rapport.agreements.models import Document, Quote
from rapport.agreements.signing.services import document_portal_url
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.services import notification_queue

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.projects.models import ChangeRequest

# A contract waits this long for the client's signature; after it, it can no longer be signed.
SIGN_WITHIN = timedelta(days=14)


def _signer_for(quote: Quote) -> Contact:
    signer = quote.contact or quote.decided_by
    if signer is None or signer.client_id != quote.client_id or signer.archived_at is not None:
        raise ApplicationError(
            _("Choose the contact who signs for the client on the quote first."), field="contact"
        )
    return signer


@transaction.atomic
def contract_create_from_quote(*, quote: Quote, actor: User | None) -> Document:
    """The contract Document for an accepted ``quote``, rendered and sent to its contact to sign.

    Called inside the transaction that accepts the quote. Written in the quote's language (the
    client's), rendered to PDF once, hashed, recorded ("created", "sent") in its audit trail,
    and the signer is told with a portal link. A second call returns the contract already made
    (unless it was withdrawn). Refused for a quote that is declined, superseded or expired.
    """
    refused = {Quote.Status.DECLINED, Quote.Status.SUPERSEDED, Quote.Status.EXPIRED}
    if quote.status in refused:
        raise ApplicationError(_("A contract is made only from an accepted quote."), field="quote")
    existing = (
        Document.objects.filter(quote=quote, kind=Document.Kind.CONTRACT)
        .exclude(status=Document.Status.VOID)
        .first()
    )
    if existing is not None:
        return existing
    signer = _signer_for(quote)
    language = quote.language or quote.client.language
    now = timezone.now()
    sign_by = now + SIGN_WITHIN
    title, terms, data = quote_data(
        quote=quote, signer=signer, language=language, created_at=now, sign_by=sign_by
    )
    document = Document(
        workspace_id=quote.workspace_id,
        kind=Document.Kind.CONTRACT,
        client=quote.client,
        project=quote.project,
        quote=quote,
        signer=signer,
        title=title,
        language=language,
        body=terms,
        data=data,
        sign_by=sign_by,
    )
    document.created_at = now
    render_document(document)
    document.save()
    audit_record(
        document=document,
        verb="created",
        data={
            "by": actor.pk if actor else None,
            "quote": quote.reference,
            "sha256": document.sha256,
            "language": language,
            "signer": signer.name,
        },
        at=now,
    )
    timeline_record(
        client=document.client,
        verb="contract.created",
        actor=actor,
        subject=document,
        data={"title": document.title, "name": signer.name},
    )
    _send_to_signer(document=document, signer=signer, sign_by=sign_by, actor=actor)
    return document


def amendment_create(
    *, change_request: ChangeRequest, contract: Document, actor: User | None
) -> Document:
    """The amendment Document of ``change_request`` to ``contract``, rendered and sent to the
    contract's signer. Called by
    :func:`rapport.agreements.changes.services.change_request_send` inside its transaction
    (which checked the change request)."""
    signer = contract.signer
    language = contract.language
    project = change_request.project
    currency = project.currency
    now = timezone.now()
    sign_by = now + SIGN_WITHIN
    tz = contract.client.timezone
    with translation.override(language):
        price = money_text(change_request.price_impact, currency, language)
        if change_request.price_impact > 0:
            price = "+" + price
        days = _("%(days)s working days") % {"days": change_request.days_impact}
        title = (_("Amendment: %(change)s") % {"change": change_request.title})[:200]
        base = dict(contract.data)
        data: dict[str, Any] = {
            **base,
            "kind": Document.Kind.AMENDMENT,
            "title": title,
            "reference": _("Amendment to %(contract)s") % {"contract": contract.title},
            "labels": document_labels(),
            "contract_reference": _("%(title)s, made on %(date)s")
            % {"title": contract.title, "date": date_text(contract.created_at, language, tz)},
            "change": {
                "title": change_request.title,
                "description": paragraphs(change_request.description),
                "price": price,
                "days": days,
                "milestone": change_request.milestone.title if change_request.milestone else "—",
            },
            "deliverables": [],
            "out_of_scope": [],
            "lines": [],
            "schedule": [],
            "revisions": "",
            "terms": [
                _(
                    "Everything in the agreement not changed by this amendment stays as it was. "
                    "The price impact is added to the payment schedule as a payment of its own."
                )
            ],
            "created": date_text(now, language, tz),
            "sign_by": date_text(sign_by, language, tz),
        }
    document = Document(
        workspace_id=contract.workspace_id,
        kind=Document.Kind.AMENDMENT,
        client=contract.client,
        project=project,
        quote=contract.quote,
        contract=contract,
        change_request=change_request,
        signer=signer,
        title=title,
        language=language,
        body="\n\n".join(data["change"]["description"] + data["terms"]),
        data=data,
        sign_by=sign_by,
    )
    document.created_at = now
    render_document(document)
    document.save()
    audit_record(
        document=document,
        verb="created",
        data={
            "by": actor.pk if actor else None,
            "change": change_request.title,
            "sha256": document.sha256,
            "contract": contract.pk,
        },
        at=now,
    )
    _send_to_signer(document=document, signer=signer, sign_by=sign_by, actor=actor)
    return document


def _send_to_signer(
    *, document: Document, signer: Contact, sign_by: datetime, actor: User | None
) -> None:
    """Queue the "to sign" message with a portal link that opens on the document, and record
    that it was sent (a contract and an amendment alike)."""
    _link, token = portal_link_create(contact=signer, actor=actor)
    notification = notification_queue(
        contact=signer,
        template="contract_to_sign",
        context={
            "document": document,
            "url": document_portal_url(document, token),
            "sign_by": sign_by,
        },
        subject=document,
        dedupe_key=f"contract_to_sign:{document.pk}",
    )
    audit_record(
        document=document,
        verb="sent",
        data={"to": signer.name, "channel": notification.channel, "notification": notification.pk},
    )
