"""Each list endpoint runs the same number of queries for 1 row as for 20 (no per-row query)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.clients.models import Contact
from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.conftest import Persona
from rapport.projects.models import Milestone, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create

SERIAL = itertools.count()  # unique emails across calls

# Authentication (token, membership, user and workspace in one) + the page; contacts add their
# important dates. No count: the lists are paged by cursor.
MAX_QUERIES = 3


def add_clients(alice: Persona, carol: Contact, milestone: Milestone, n: int) -> None:
    for i in range(n):
        client = client_create(
            workspace=alice.workspace, actor=alice.user, name=f"Client {i}", industry_tags=["x"]
        )
        contact_create(client=client, actor=None, name=f"C{i}", email=f"c{next(SERIAL)}@x.example")
        project_create(client=client, actor=None, title=f"P{i}")


def add_contacts(alice: Persona, carol: Contact, milestone: Milestone, n: int) -> None:
    for i in range(n):
        contact = contact_create(
            client=carol.client, actor=None, name=f"C{i}", email=f"c{next(SERIAL)}@x.example"
        )
        important_date_add(contact=contact, kind="birthday", month=1 + i % 12, day=1)


def add_projects(alice: Persona, carol: Contact, milestone: Milestone, n: int) -> None:
    for i in range(n):
        project = project_create(client=carol.client, actor=None, title=f"P{i}")
        milestone_create(project=project, actor=None, title="M", due_date=date.today(), progress=i)


def add_milestones(alice: Persona, carol: Contact, milestone: Milestone, n: int) -> None:
    for i in range(n):
        milestone_create(
            project=milestone.project,
            actor=None,
            title=f"M{i}",
            due_date=date.today() + timedelta(days=i % 5),
        )


def add_deliverables(alice: Persona, carol: Contact, milestone: Milestone, n: int) -> None:
    for i in range(n):
        deliverable_create(milestone=milestone, actor=None, title=f"D{i}", spec="S", format="F")


Adder = Callable[[Persona, Contact, Milestone, int], None]
CASES: list[tuple[str, dict[str, str], Adder]] = [
    ("clients", {}, add_clients),
    ("clients", {"q": "client", "status": "lead"}, add_clients),
    ("contacts", {}, add_contacts),
    ("contacts", {"q": "example"}, add_contacts),  # carol and the new ones
    ("projects", {}, add_projects),
    ("projects", {"status": "proposed"}, add_projects),
    ("milestones", {}, add_milestones),
    ("milestones", {"due_within_days": "7", "open": "true"}, add_milestones),
    ("deliverables", {}, add_deliverables),
]


def count_queries(api: APIClient, url: str, params: dict[str, str]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(("resource", "params", "add"), CASES)
def test_list_queries_do_not_grow_with_rows(
    alice_api: APIClient,
    alice: Persona,
    carol: Contact,
    design_milestone: Milestone,
    resource: str,
    params: dict[str, str],
    add: Adder,
) -> None:
    url = f"/api/v1/{resource}/"
    add(alice, carol, design_milestone, 1)
    alice_api.get(url)  # the first request of a token records its use (one UPDATE)

    few, few_rows = count_queries(alice_api, url, params)
    add(alice, carol, design_milestone, 20)
    many, many_rows = count_queries(alice_api, url, params)

    assert few_rows >= 1
    assert many_rows >= few_rows + 20
    assert few == many
    assert many <= MAX_QUERIES


def test_retrieve_is_a_fixed_number_of_queries(
    alice_api: APIClient, carol: Contact, website: Project
) -> None:
    for url in (f"/api/v1/contacts/{carol.pk}/", f"/api/v1/projects/{website.pk}/"):
        alice_api.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert alice_api.get(url).status_code == 200
        assert len(queries) <= 4
