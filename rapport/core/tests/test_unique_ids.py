"""No page repeats an element id: a repeated id ties a label, a skip link or an ARIA reference
to the wrong element (WCAG 4.1.1), which a screen reader user cannot see."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.services import contact_create
from rapport.portal.services import portal_link_create
from rapport.projects.services import milestone_create


def repeated_ids(body: str) -> list[str]:
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    return sorted(name for name, n in ids.items() if n > 1)


@pytest.fixture
def busy(acme, carol, website, design_milestone, layouts, alice):
    """A client with two contacts, a project with two milestones and a deliverable."""
    contact_create(client=acme, actor=alice.user, name="Dimitris", email="dimitris@acme.test")
    milestone_create(project=website, actor=alice.user, title="Build", due_date=website.due_date)
    return acme


def test_staff_pages_have_unique_ids(alice_http, busy, website) -> None:
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
        bodies[url] = page.content.decode()
        assert repeated_ids(bodies[url]) == [], url
    # Each contact card's date form labels its own fields.
    client_page = bodies[reverse("clients:detail", args=[busy.pk])]
    for contact in busy.contacts.all():
        assert f'<label for="date-{contact.pk}-day"' in client_page
        assert f'id="date-{contact.pk}-day"' in client_page


def test_portal_pages_have_unique_ids(busy, carol, website, alice) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    for url in (reverse("portal:home"), reverse("portal:project", args=[website.pk])):
        page = http.get(url)
        assert page.status_code == 200, url
        assert repeated_ids(page.content.decode()) == [], url
