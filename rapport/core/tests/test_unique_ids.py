"""No page repeats an element id: a repeated id ties a label, a skip link or an ARIA reference
to the wrong element (WCAG 4.1.1), which a screen reader user cannot see."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.core.tests.sections import with_sections
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import milestone_create


def repeated_ids(body: str) -> list[str]:
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    return sorted(name for name, n in ids.items() if n > 1)


@pytest.fixture
def busy(
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
    alice: Persona,
) -> Client:
    """A client with two contacts, a project with two milestones and a deliverable."""
    contact_create(client=acme, actor=alice.user, name="Dimitris", email="dimitris@acme.test")
    milestone_create(project=website, actor=alice.user, title="Build", due_date=website.due_date)
    return acme


def test_staff_pages_have_unique_ids(
    alice_http: HttpClient, busy: Client, website: Project
) -> None:
    urls = [
        reverse("dashboard"),
        reverse("clients:list"),
        reverse("clients:detail", args=[busy.pk]),
        reverse("projects:list"),
        reverse("projects:detail", args=[website.pk]),
        reverse("accounts:settings"),
    ]
    bodies = {}
    for url in urls:
        page = alice_http.get(url)
        assert page.status_code == 200, url
        bodies[url] = with_sections(alice_http, page.content.decode())
        assert repeated_ids(bodies[url]) == [], url
    # The per-card forms come with htmx into their card: each with ids of its own, none of them
    # on the page already.
    client_page = bodies[reverse("clients:detail", args=[busy.pk])]
    cards = [
        (client_page, "clients:important_date_add", contact.pk, f"date-{contact.pk}-day")
        for contact in busy.contacts.all()
    ]
    project_page = bodies[reverse("projects:detail", args=[website.pk])]
    cards += [
        (project_page, "projects:deliverable_create", m.pk, f"ms{m.pk}-dl-title")
        for m in website.milestones.all()
    ]
    assert len(cards) == 4
    for page_body, name, pk, field_id in cards:
        form = alice_http.get(reverse(name, args=[pk]), headers={"HX-Request": "true"})
        form_body = form.content.decode()
        assert f'<label for="{field_id}"' in form_body and f'id="{field_id}"' in form_body
        assert repeated_ids(page_body + form_body) == [], name


def test_portal_pages_have_unique_ids(
    busy: Client, carol: Contact, website: Project, alice: Persona
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    for url in (reverse("portal:home"), reverse("portal:project", args=[website.pk])):
        page = http.get(url)
        assert page.status_code == 200, url
        assert repeated_ids(with_sections(http, page.content.decode())) == [], url
