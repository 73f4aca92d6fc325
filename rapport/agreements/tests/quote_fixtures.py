"""Set-up for the quote tests: a fixed clock, a Romanian client, and quote input builders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.agreements.models import PaymentStage, Quote, QuoteLine
from rapport.agreements.quotes import services as quotes
from rapport.agreements.quotes.inputs import LineInput, QuoteInput, StageInput
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.projects.models import Project
from rapport.projects.services import project_create

# Monday 23 November 2026, 10:00 in Athens (alice's workspace time zone).
T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(clock: time_machine.Traveller, alice: Persona, acme: Client) -> Project:
    return project_create(
        client=acme,
        actor=alice.user,
        title="New shop",
        goal="Sell online",
        start_date=dt.date(2026, 11, 30),
        due_date=dt.date(2027, 1, 29),
        status=Project.Status.PROPOSED,
        out_of_scope="Hosting\nCopywriting",
    )


@pytest.fixture
def brasov(clock: time_machine.Traveller, alice: Persona) -> Client:
    return client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Brașov Print SRL",
        status=Client.Status.ACTIVE,
        language="ro",
        timezone="Europe/Bucharest",
        currency="RON",
    )


@pytest.fixture
def ioana(brasov: Client, alice: Persona) -> Contact:
    return contact_create(
        client=brasov,
        actor=alice.user,
        name="Ioana Popescu",
        email="ioana@brasov.example",
        language="ro",
    )


@pytest.fixture
def catalogue(brasov: Client, alice: Persona) -> Project:
    return project_create(
        client=brasov,
        actor=alice.user,
        title="Catalog online",
        start_date=dt.date(2026, 12, 1),
        due_date=dt.date(2027, 2, 1),
        status=Project.Status.PROPOSED,
    )


def quote_input(contact: Contact | None, /, **overrides: Any) -> QuoteInput:
    """A valid quote: one fixed line of 1000.00 at 24% tax, 50% deposit, 50% final."""
    values: dict[str, Any] = {
        "contact": contact,
        "title": "New shop",
        "currency": "EUR",
        "language": contact.effective_language if contact else "en",
        "valid_until": TODAY + dt.timedelta(days=14),
        "lines": [LineInput(description="Design and build", unit_price="1000.00", tax_rate="24")],
        "stages": [
            StageInput(kind=PaymentStage.Kind.DEPOSIT, percent="50"),
            StageInput(kind=PaymentStage.Kind.FINAL, percent="50"),
        ],
        "out_of_scope": "Hosting",
        "revision_free_rounds": 2,
        "revision_hourly_rate": "60",
    }
    values.update(overrides)
    return QuoteInput(**values)


def draft(alice: Persona, project: Project, contact: Contact, /, **overrides: Any) -> Quote:
    return quotes.quote_create(
        project=project, actor=alice.user, data=quote_input(contact, **overrides)
    )


def sent(alice: Persona, project: Project, contact: Contact, /, **overrides: Any) -> Quote:
    quote = draft(alice, project, contact, **overrides)
    return quotes.quote_send(quote=quote, actor=alice.user)


def portal_http(contact: Contact) -> HttpClient:
    """A browser with a portal session of ``contact``."""
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def hourly(description: str, hours: str, rate: str, tax: str = "0") -> LineInput:
    return LineInput(
        kind=QuoteLine.Kind.HOURLY,
        description=description,
        quantity=hours,
        unit="h",
        unit_price=rate,
        tax_rate=tax,
    )


def money(value: str) -> Decimal:
    return Decimal(value)
