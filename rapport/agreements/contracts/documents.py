"""A contract's text and PDF: what it says, written in the client's language (P08, P19).

:func:`quote_data` turns an accepted quote into the data the PDF and the portal's HTML view
show; :func:`render_document` renders the PDF once and stores its bytes and SHA-256 (ADR 0007).
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.accounts.business import identity_lines, logo_bytes
from rapport.agreements.contracts.terms import contract_template_for, fill_placeholders
from rapport.agreements.models import Document, PaymentStage, Quote
from rapport.clients.models import Contact
from rapport.core import formatting
from rapport.core.pdf import render_pdf, sha256_hex
from rapport.core.templatetags.rapport import BABEL_LOCALES


def money_text(amount: Decimal, currency: str, language: str) -> str:
    """``amount`` rounded to the currency's minor unit, written the way ``language`` writes it."""
    return formatting.money_text(amount, currency, language)


def date_text(day: date | datetime, language: str, tz: str = "UTC") -> str:
    if isinstance(day, datetime):
        day = timezone.localtime(day, timezone=_zone(tz)).date()
    # The one formatting policy (docs/formatting.md): "6 Dec 2026", "6 Δεκεμβρίου 2026".
    with translation.override(language):
        return formatting.date_text(day)


def _zone(tz: str) -> Any:
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def document_labels() -> dict[str, str]:
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
            "labels": document_labels(),
            # Seller and buyer as on an invoice: legal name, address, tax ids (ADR 0019).
            "provider": identity_lines(workspace, fallback_name=workspace.name),
            "client": identity_lines(client, fallback_name=client.name),
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
                # Only what was agreed: the common lines and the chosen package's (ADR 0022).
                for line in quote.agreed_lines()
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
            "terms": paragraphs(terms),
            "signing_note": _(
                "The client signs in the client portal with a one-time code sent by email; the "
                "provider countersigns. The evidence of each signature and the SHA-256 of this "
                "file are kept with the document."
            ),
            "created": date_text(created_at, language, tz),
            "sign_by": date_text(sign_by, language, tz),
        }
    return title, terms, data


def paragraphs(text: str) -> list[str]:
    # Ordinary whitespace only: a no-break space inside "3.720,00 €" stays.
    return [re.sub(r"[ \t\r\n]+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def render_document(document: Document) -> None:
    """Render the PDF once and store its bytes and hash (before any signature).

    The workspace's logo and brand colour go into the PDF but not into ``data``: the data
    stays small, and the stored bytes keep the logo as it was when the document was made.
    """
    workspace = document.workspace
    shown = {
        **document.data,
        "logo": list(logo_bytes(workspace)),
        "brand_color": workspace.brand_color or "#000000",
    }
    pdf = render_pdf("contract", shown, created_at=document.created_at)
    document.pdf = pdf
    document.sha256 = sha256_hex(pdf)
