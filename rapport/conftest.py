"""Test personas (DESIGN.md): alice the freelancer, her client acme with contact carol, and
mallory, another workspace that must never see alice's data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient

from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.services import user_signup
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test persona)


@dataclass
class Persona:
    user: User
    membership: Membership

    @property
    def workspace(self) -> Workspace:
        return self.membership.workspace


@pytest.fixture
def alice(db: None) -> Persona:
    membership = user_signup(
        email="alice@example.com",
        name="Alice Papadopoulou",
        password=PASSWORD,
        workspace_name="Alice Design",
        timezone_name="Europe/Athens",
    )
    return Persona(user=membership.user, membership=membership)


@pytest.fixture
def mallory(db: None) -> Persona:
    membership = user_signup(
        email="mallory@example.com",
        name="Mallory Evil",
        password=PASSWORD,
        workspace_name="Mallory Studio",
    )
    return Persona(user=membership.user, membership=membership)


@pytest.fixture
def acme(alice: Persona) -> Client:
    return client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Acme Ltd",
        status=Client.Status.ACTIVE,
        industry_tags=["retail"],
        language="el",
        timezone="Europe/Athens",
        currency="EUR",
    )


@pytest.fixture
def carol(acme: Client, alice: Persona) -> Contact:
    return contact_create(
        client=acme,
        actor=alice.user,
        name="Carol Georgiou",
        email="carol@acme.example",
        role="Marketing lead",
        language="el",
    )


@pytest.fixture
def website(acme: Client, alice: Persona) -> Project:
    today = date.today()
    return project_create(
        client=acme,
        actor=alice.user,
        title="New website",
        goal="Double online orders",
        start_date=today - timedelta(days=10),
        due_date=today + timedelta(days=60),
        status=Project.Status.ACTIVE,
    )


@pytest.fixture
def design_milestone(website: Project, alice: Persona) -> Milestone:
    return milestone_create(
        project=website,
        actor=alice.user,
        title="Page designs",
        due_date=date.today() + timedelta(days=5),
        progress=40,
    )


@pytest.fixture
def layouts(design_milestone: Milestone, alice: Persona) -> Deliverable:
    return deliverable_create(
        milestone=design_milestone,
        actor=alice.user,
        title="Page layouts",
        spec="5 page layouts: home, catalogue, product, cart, contact",
        format=".fig and .pdf",
    )


@pytest.fixture
def mallory_data(mallory: Persona) -> dict[str, Any]:
    """A full set of mallory's records by kind, for outsider tests in the other direction."""
    client = client_create(workspace=mallory.workspace, actor=mallory.user, name="Evil Corp")
    contact = contact_create(
        client=client, actor=mallory.user, name="Eve", email="eve@evil.example"
    )
    project = project_create(client=client, actor=mallory.user, title="Evil plan")
    milestone = milestone_create(
        project=project,
        actor=mallory.user,
        title="Step 1",
        due_date=date.today() + timedelta(days=3),
    )
    deliverable = deliverable_create(
        milestone=milestone, actor=mallory.user, title="Plan", spec="A plan", format=".pdf"
    )
    return {
        "client": client,
        "contact": contact,
        "project": project,
        "milestone": milestone,
        "deliverable": deliverable,
    }


def login(http: HttpClient, persona: Persona) -> HttpClient:
    http.force_login(persona.user)
    return http


@pytest.fixture
def alice_http(alice: Persona) -> HttpClient:
    return login(HttpClient(), alice)


@pytest.fixture
def mallory_http(mallory: Persona) -> HttpClient:
    return login(HttpClient(), mallory)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits live in the cache; each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request handled by the test client
    activates the viewer's language in this thread and nothing resets it between tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
