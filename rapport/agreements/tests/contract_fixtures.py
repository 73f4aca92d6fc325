"""Shared set-up for the contract, signing and change-request tests: an accepted quote written
straight to the tables (the quote services are another part's; these tests need only rows)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from rapport.agreements.models import PaymentStage, Quote, QuoteDeliverable, QuoteLine
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona
from rapport.projects.models import Project


def make_quote(
    alice: Persona,
    client: Client,
    contact: Contact,
    project: Project,
    *,
    language: str = "el",
    currency: str = "EUR",
    deposit: Decimal | None = Decimal("900.00"),
    series: int = 1,
) -> Quote:
    quote = Quote.objects.create(
        workspace=alice.workspace,
        client=client,
        project=project,
        contact=contact,
        series=series,
        title="Ιστοσελίδα / Site web",
        summary="Διπλάσιες παραγγελίες online",
        currency=currency,
        language=language,
        valid_until=timezone.localdate() + timedelta(days=30),
        status=Quote.Status.ACCEPTED,
        out_of_scope="Φωτογράφιση προϊόντων\nTraducerea textelor în română",
        revision_free_rounds=2,
        revision_hourly_rate=Decimal("45.00"),
        subtotal=Decimal("3000.00"),
        tax_total=Decimal("720.00"),
        total=Decimal("3720.00"),
        decided_by=contact,
        decided_at=timezone.now(),
    )
    QuoteLine.objects.create(
        quote=quote,
        position=1,
        description="Σχεδιασμός σελίδων — design și dezvoltare",
        quantity=Decimal("1"),
        unit_price=Decimal("3000.00"),
        tax_rate=Decimal("24"),
        net=Decimal("3000.00"),
        tax=Decimal("720.00"),
    )
    QuoteDeliverable.objects.create(
        quote=quote,
        position=1,
        title="Σχέδια σελίδων",
        spec="5 σελίδες: αρχική, κατάλογος, προϊόν, καλάθι, επικοινωνία",
        format=".fig και .pdf",
    )
    position = 1
    if deposit is not None:
        PaymentStage.objects.create(
            workspace=alice.workspace,
            quote=quote,
            position=position,
            kind=PaymentStage.Kind.DEPOSIT,
            percent=None,
            amount=deposit,
        )
        position += 1
    PaymentStage.objects.create(
        workspace=alice.workspace,
        quote=quote,
        position=position,
        kind=PaymentStage.Kind.FINAL,
        amount=Decimal("3720.00") - (deposit or 0),
    )
    return quote


@pytest.fixture
def quote(alice: Persona, acme: Client, carol: Contact, website: Project) -> Quote:
    return make_quote(alice, acme, carol, website)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def portal_http(contact: Contact) -> HttpClient:
    """A browser with a portal session of ``contact``."""
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="TestBrowser/1.0")
    http.post(reverse("portal:open", args=[token]))
    return http


CODE = re.compile(r"\b(\d{6})\b")
