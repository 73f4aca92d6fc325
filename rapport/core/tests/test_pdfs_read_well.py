"""The invoice and contract PDFs, read back in each of the four languages, write dates and
amounts by the formatting policy: no ISO date, no US order (docs/formatting.md)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from rapport.agreements.contracts.services import contract_create_from_quote
from rapport.agreements.tests.contract_fixtures import make_quote
from rapport.billing.models import Invoice
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.formatting import date_text, money_text
from rapport.core.tests.readable_text import unreadable_dates
from rapport.projects.models import Project

LANGUAGES = ("en", "el", "ro", "id")


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_invoice_pdf_dates_and_money(
    language: str, alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    # An invoice is written in its contact's language.
    carol.language = language
    carol.save(update_fields=["language"])
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        project=website,
        contact=carol,
        kind=Invoice.Kind.MILESTONE,
        currency="EUR",
        language=language,
    )
    invoice_line_add(invoice=invoice, description="Designs", quantity="1", unit_price="1234.5")
    invoice_issue(invoice=invoice, actor=alice.user)
    invoice.refresh_from_db()
    assert invoice.pdf is not None and invoice.issue_date is not None
    text = _text(bytes(invoice.pdf))
    assert not unreadable_dates(text), (language, unreadable_dates(text))
    with translation.override(language):
        issued = date_text(invoice.issue_date)
    assert issued in text
    assert " ".join(money_text(invoice.total, "EUR", language).split()) in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_contract_pdf_dates_and_money(
    language: str, alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    quote = make_quote(alice, acme, carol, website, language=language)
    document = contract_create_from_quote(quote=quote, actor=alice.user)
    text = _text(bytes(document.pdf))
    assert not unreadable_dates(text), (language, unreadable_dates(text))
    with translation.override(language), timezone.override(acme.timezone):
        made_on = date_text(document.created_at)
    assert made_on in text
    assert " ".join(money_text(quote.total, "EUR", language).split()) in text
