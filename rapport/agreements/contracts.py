"""Contracts made from accepted quotes, and amendments made from change requests (P08, P19).

A document is rendered once, in the client's language, from the workspace's contract template
and the quote; its PDF bytes and their SHA-256 are stored and never change after the first
signature (ADR 0007). Signing lives in :mod:`rapport.agreements.signing`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from babel.numbers import format_currency
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts.access import require_owner
from rapport.accounts.models import LANGUAGE_CHOICES, Membership, Workspace
from rapport.agreements.audit import audit_record
from rapport.agreements.models import ContractTemplate, Document, PaymentStage, Quote
from rapport.core.errors import ApplicationError
from rapport.core.money import to_minor
from rapport.core.pdf import render_pdf, sha256_hex
from rapport.core.templatetags.rapport import BABEL_LOCALES
from rapport.core.timeline import timeline_record

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.clients.models import Contact
    from rapport.projects.models import ChangeRequest

# A contract waits this long for the client's signature; after it, it can no longer be signed.
SIGN_WITHIN = timedelta(days=14)

# The first terms of a workspace, in English for translation; the owner edits them per language
# in Settings. ``{placeholders}`` are filled per document (see PLACEHOLDERS).
DEFAULT_TITLE = gettext_lazy("Agreement for {project}")
DEFAULT_TERMS = [
    gettext_lazy(
        "Scope. {provider} will deliver to {client} the deliverables listed in this agreement, "
        "each with the specification and format stated. Anything listed as out of scope, and "
        "anything not listed, is not part of this agreement."
    ),
    gettext_lazy(
        "Price and payment. The price is {total}, paid according to the payment schedule above. "
        "Work starts once the deposit, if there is one, has been received."
    ),
    gettext_lazy(
        "Revisions. Each deliverable includes {free_rounds} rounds of revision. Further rounds "
        "are billed at {hourly_rate} an hour, and only after {client} has accepted their cost."
    ),
    gettext_lazy(
        "Changes. Any change to the scope, the price or the dates is agreed in writing, as a "
        "signed amendment to this agreement, before the changed work starts."
    ),
    gettext_lazy(
        "Intellectual property. The rights to the final deliverables pass to {client} once "
        "the full price has been paid. {provider} may keep working files and, with the "
        "permission of {client}, show the work in a portfolio."
    ),
    gettext_lazy(
        "Confidentiality. Both parties keep confidential what they learn about each other's "
        "business, during this work and afterwards."
    ),
    gettext_lazy(
        "Termination. Either party may end this agreement in writing with 14 days' notice. "
        "Work done until then is paid; deliverables paid for are handed over."
    ),
]
PLACEHOLDERS = (
    "client",
    "provider",
    "project",
    "total",
    "deposit",
    "free_rounds",
    "hourly_rate",
    "sign_by",
)
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced; unknown ones stay visible as typed.

    A plain substitution, not ``str.format``: a template is typed by a person and must not
    reach attributes or fail on a stray brace.
    """
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --- Templates ------------------------------------------------------------------------------


def _language_check(language: str) -> str:
    if language not in dict(LANGUAGE_CHOICES):
        raise ApplicationError(_("Choose one of the languages offered."), field="language")
    return language


def contract_template_default(language: str) -> tuple[str, str]:
    """The default (title, terms) in ``language``, paragraphs separated by blank lines."""
    with translation.override(language):
        return str(DEFAULT_TITLE), "\n\n".join(str(p) for p in DEFAULT_TERMS)


def contract_template_for(workspace: Workspace, language: str) -> ContractTemplate:
    """The workspace's template in ``language``, written from the defaults on first use."""
    language = _language_check(language)
    found = ContractTemplate.objects.for_workspace(workspace).filter(language=language).first()
    if found is not None:
        return found
    title, body = contract_template_default(language)
    try:
        with transaction.atomic():
            return ContractTemplate.objects.create(
                workspace=workspace, language=language, title=title, body=body
            )
    except IntegrityError:  # written by a concurrent first use
        return ContractTemplate.objects.for_workspace(workspace).get(language=language)


@transaction.atomic
def contract_template_save(
    *, membership: Membership, language: str, title: str, body: str
) -> ContractTemplate:
    """The owner edits the terms of one language; documents already made keep theirs."""
    require_owner(membership)
    template = contract_template_for(membership.workspace, language)
    title, body = title.strip(), body.strip().replace("\r\n", "\n")
    if not title:
        raise ApplicationError(_("Give the contract a title."), field="title")
    if len(title) > 200:
        raise ApplicationError(_("At most 200 characters."), field="title")
    if not body:
        raise ApplicationError(_("Write the terms."), field="body")
    if len(body) > 50000:
        raise ApplicationError(_("At most 50,000 characters."), field="body")
    template.title, template.body = title, body
    template.save(update_fields=["title", "body", "updated_at"])
    return template


# --- Rendering ------------------------------------------------------------------------------


def money_text(amount: Decimal, currency: str, language: str) -> str:
    """``amount`` rounded to the currency's minor unit, written the way ``language`` writes it."""
    return format_currency(
        to_minor(Decimal(amount), currency), currency, locale=BABEL_LOCALES.get(language, "en_GB")
    )


def date_text(day: date | datetime, language: str, tz: str = "UTC") -> str:
    if isinstance(day, datetime):
        day = timezone.localtime(day, timezone=_zone(tz)).date()
    return format_date(day, format="long", locale=BABEL_LOCALES.get(language, "en_GB"))


def _zone(tz: str) -> Any:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _labels() -> dict[str, str]:
    """The document's headings, in the active language."""
    return {
        "page": _("Page"),
        "created": _("made on"),
        "parties": _("Parties"),
        "provider": _("Provider"),
        "client": _("Client"),
        "signer": _("Signs for the client"),
        "project": _("Project"),
        "goal": _("Goal"),
        "deliverables": _("Deliverables"),
        "format": _("format"),
        "out_of_scope": _("Not included"),
        "price": _("Price"),
        "description": _("Description"),
        "quantity": _("Quantity"),
        "unit_price": _("Unit price"),
        "tax": _("Tax"),
        "amount": _("Amount"),
        "subtotal": _("Subtotal"),
        "total": _("Total"),
        "schedule": _("Payment schedule"),
        "revisions": _("Revisions"),
        "terms": _("Terms"),
        "signatures": _("Signatures"),
        "sign_by": _("To be signed by"),
        "amends": _("Amends"),
        "change": _("The change"),
        "price_impact": _("Price impact"),
        "date_impact": _("Date impact"),
        "milestone": _("Affected milestone"),
    }


def _number_text(value: Decimal, language: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value.normalize(), locale=BABEL_LOCALES.get(language, "en_GB"))


def _stage_label(stage: PaymentStage, currency: str, language: str) -> str:
    label = stage.label or str(stage.get_kind_display())
    if stage.percent is not None:
        label += f" ({_number_text(stage.percent, language)}%)"
    return label


def quote_data(
    *, quote: Quote, signer: Contact, language: str, created_at: datetime, sign_by: datetime
) -> tuple[str, str, dict[str, Any]]:
    """(title, terms, data) of a contract for ``quote``: everything the PDF and the portal's
    HTML view show, as text already written in ``language``."""
    workspace = quote.workspace
    client, project, currency = quote.client, quote.project, quote.currency
    stages = [s for s in quote.stages.all() if s.kind != PaymentStage.Kind.CHANGE]
    deposit = next((s for s in stages if s.kind == PaymentStage.Kind.DEPOSIT), None)
    tz = client.timezone
    with translation.override(language):
        template = contract_template_for(workspace, language)
        values = {
            "client": client.name,
            "provider": workspace.name,
            "project": project.title,
            "total": money_text(quote.total, currency, language),
            "deposit": money_text(deposit.amount, currency, language) if deposit else "—",
            "free_rounds": str(quote.revision_free_rounds),
            "hourly_rate": money_text(quote.revision_hourly_rate, currency, language),
            "sign_by": date_text(sign_by, language, tz),
        }
        title = fill_placeholders(template.title, values)[:200]
        terms = fill_placeholders(template.body, values)
        revisions = _(
            "Each deliverable includes %(rounds)s rounds of revision; further rounds cost "
            "%(rate)s an hour, once you have accepted their cost."
        ) % {"rounds": quote.revision_free_rounds, "rate": values["hourly_rate"]}
        data: dict[str, Any] = {
            "kind": Document.Kind.CONTRACT,
            "title": title,
            "reference": _("Contract for %(quote)s") % {"quote": quote.reference},
            "language": language,
            "labels": _labels(),
            "provider": {"name": workspace.name},
            "client": {"name": client.name},
            "signer": {"name": signer.name, "email": signer.email},
            "project": {"title": project.title, "goal": quote.summary or project.goal},
            "deliverables": [
                {"title": d.title, "spec": d.spec, "format": d.format}
                for d in quote.deliverables.all()
            ],
            "out_of_scope": [
                line.strip() for line in quote.out_of_scope.splitlines() if line.strip()
            ],
            "lines": [
                {
                    "description": line.description,
                    "quantity": _number_text(line.quantity, language)
                    + (f" {line.unit}" if line.unit else ""),
                    "unit_price": money_text(line.unit_price, currency, language),
                    "tax": f"{_number_text(line.tax_rate, language)}%",
                    "net": money_text(line.net, currency, language),
                }
                for line in quote.lines.all()
            ],
            "totals": {
                "subtotal": money_text(quote.subtotal, currency, language),
                "tax": money_text(quote.tax_total, currency, language),
                "total": values["total"],
            },
            "schedule": [
                {
                    "label": _stage_label(s, currency, language),
                    "amount": money_text(s.amount, currency, language),
                }
                for s in stages
            ],
            "revisions": revisions,
            "terms": _paragraphs(terms),
            "signing_note": _(
                "The client signs in the client portal with a one-time code sent by email; the "
                "provider countersigns. The evidence of each signature and the SHA-256 of this "
                "file are kept with the document."
            ),
            "created": date_text(created_at, language, tz),
            "sign_by": date_text(sign_by, language, tz),
        }
    return title, terms, data


def _paragraphs(text: str) -> list[str]:
    # Ordinary whitespace only: a no-break space inside "3.720,00 €" stays.
    return [re.sub(r"[ \t\r\n]+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _render(document: Document) -> None:
    """Render the PDF once and store its bytes and hash (before any signature)."""
    pdf = render_pdf("contract", document.data, created_at=document.created_at)
    document.pdf = pdf
    document.sha256 = sha256_hex(pdf)


def document_portal_url(document: Document, token: str) -> str:
    """A portal link that opens on the document's page (after the confirm step)."""
    from rapport.clients.portal_links.services import portal_link_url

    return f"{portal_link_url(token)}?next={reverse('portal:sign', args=[document.pk])}"


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
    _render(document)
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
    contract's signer. Called by :func:`rapport.projects.changes.change_request_send` inside its
    transaction (which checked the change request)."""
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
            "labels": _labels(),
            "contract_reference": _("%(title)s, made on %(date)s")
            % {"title": contract.title, "date": date_text(contract.created_at, language, tz)},
            "change": {
                "title": change_request.title,
                "description": _paragraphs(change_request.description),
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
    _render(document)
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


# --- After both signatures ------------------------------------------------------------------


def contract_activate(*, document: Document, actor: User | None) -> None:
    """Work may start: the lead becomes a client, the proposed project active, the deposit is
    invoiced and the kickoff runs if it is ready (P09, P11). Inside the countersigning
    transaction."""
    from rapport.billing.services import invoice_issue_for_stage
    from rapport.clients.models import Client
    from rapport.clients.services import client_update
    from rapport.projects.kickoff import kickoff_if_ready
    from rapport.projects.models import Project
    from rapport.projects.services import project_update

    client, project = document.client, document.project
    if client.status == Client.Status.LEAD:
        client_update(client=client, actor=actor, status=Client.Status.ACTIVE)
    if project.status == Project.Status.PROPOSED:
        project_update(project=project, actor=actor, status=Project.Status.ACTIVE)
    if document.quote_id is not None:
        deposit = (
            PaymentStage.objects.filter(quote_id=document.quote_id, kind=PaymentStage.Kind.DEPOSIT)
            .order_by("position", "id")
            .first()
        )
        if deposit is not None and deposit.amount > 0:
            invoice_issue_for_stage(stage=deposit, contract=document, actor=actor)
    kickoff_if_ready(project=project)


def _send_to_signer(
    *, document: Document, signer: Contact, sign_by: datetime, actor: User | None
) -> None:
    """Queue the "to sign" message with a portal link that opens on the document, and record
    that it was sent (a contract and an amendment alike)."""
    from rapport.clients.portal_links.services import portal_link_create
    from rapport.notifications.services import notification_queue

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
