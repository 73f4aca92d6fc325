"""Every page runs a fixed number of queries whatever the amount of data (DESIGN.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.portal.services import portal_link_create
from rapport.projects.services import deliverable_create, milestone_create, project_create


def _grow(alice, acme, website, n: int) -> None:
    """Add ``n`` more of everything the pages list."""
    for i in range(n):
        client = client_create(
            workspace=alice.workspace, actor=alice.user, name=f"Client {i}", industry_tags=["x"]
        )
        contact_create(
            client=client, actor=alice.user, name=f"Person {i}", email=f"p{i}@example.com"
        )
        extra = contact_create(
            client=acme, actor=alice.user, name=f"Acme person {i}", email=f"a{i}@acme.example"
        )
        important_date_add(contact=extra, kind="birthday", month=1 + i % 12, day=1)
        project = project_create(client=acme, actor=alice.user, title=f"Project {i}")
        project_create(client=client, actor=alice.user, title=f"Their project {i}")
        milestone = milestone_create(
            project=website,
            actor=alice.user,
            title=f"Step {i}",
            due_date=website.start_date + timedelta(days=10 + i % 5),
        )
        deliverable_create(
            milestone=milestone, actor=alice.user, title=f"D{i}", spec="spec", format=".pdf"
        )
        assert project.pk


def _count(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES: list[tuple[str, Any]] = [
    ("dashboard", lambda o: reverse("dashboard")),
    ("clients", lambda o: reverse("clients:list")),
    ("clients-search", lambda o: reverse("clients:list") + "?q=acme&status=active"),
    ("client", lambda o: reverse("clients:detail", args=[o["acme"].pk])),
    ("projects", lambda o: reverse("projects:list")),
    ("project", lambda o: reverse("projects:detail", args=[o["website"].pk])),
    ("settings", lambda o: reverse("accounts:settings")),
    ("client-edit", lambda o: reverse("clients:edit", args=[o["acme"].pk])),
]


@pytest.mark.parametrize(("label", "url_for"), PAGES, ids=[p[0] for p in PAGES])
def test_staff_page_queries_do_not_grow(
    label, url_for, alice, alice_http, acme, carol, website, design_milestone, layouts
):
    objects = {"acme": acme, "website": website}
    small = _count(alice_http, url_for(objects))
    _grow(alice, acme, website, 12)
    large = _count(alice_http, url_for(objects))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


@pytest.mark.parametrize("page", ["home", "project"])
def test_portal_page_queries_do_not_grow(
    page, alice, acme, carol, website, design_milestone, layouts
):
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = reverse("portal:home") if page == "home" else reverse("portal:project", args=[website.pk])
    small = _count(http, url)
    _grow(alice, acme, website, 12)
    large = _count(http, url)
    assert large == small
    assert large <= 15
