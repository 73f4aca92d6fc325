"""Cursor pagination: every row once, in order, forwards and backwards, whatever changes between
pages; bad cursors are 400s naming ``cursor``; the cost of a page does not grow with its depth."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.api.base import ResourceViewSet
from rapport.api.pagination import Ordering, encode_cursor
from rapport.api.urls import router
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_archive, contact_create
from rapport.conftest import Persona
from rapport.projects.models import Milestone, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create

SERIAL = itertools.count()
LISTS = [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]


@pytest.fixture
def many(alice: Persona, acme: Client, website: Project) -> None:
    """Seven rows in every list, with repeated names and dates (ties broken by the id)."""
    for i in range(7):
        client = client_create(workspace=alice.workspace, actor=alice.user, name=f"Same {i % 2}")
        contact_create(
            client=client, actor=None, name=f"Anna {i % 3}", email=f"a{next(SERIAL)}@x.example"
        )
        project = project_create(client=client, actor=None, title=f"P{i}")
        milestone = milestone_create(
            project=website,
            actor=None,
            title=f"M{i}",
            due_date=date.today() + timedelta(days=i % 2),
        )
        deliverable_create(
            milestone=milestone, actor=None, title=f"D{i}", spec="One page", format="pdf"
        )
        assert project.pk


def walk(api: APIClient, url: str, **params: Any) -> tuple[list[int], list[dict[str, Any]]]:
    """The ids of every page followed through its next links, and the pages' bodies."""
    ids: list[int] = []
    bodies = []
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        bodies.append(body)
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids, bodies
        response = api.get(body["next"])


@pytest.mark.parametrize("url", LISTS)
def test_pages_hold_every_row_once_in_the_list_order(
    alice_api: APIClient, many: None, url: str
) -> None:
    everything = alice_api.get(url, {"page_size": 200}).json()
    assert everything["next"] is None and everything["previous"] is None
    expected = [row["id"] for row in everything["results"]]
    assert len(expected) >= 7

    ids, pages = walk(alice_api, url, page_size=2)
    assert ids == expected
    assert pages[0]["previous"] is None
    assert all(len(page["results"]) == 2 for page in pages[:-1])

    # Back from the last page through the previous links: the same pages, in reverse.
    back: list[list[int]] = []
    link = pages[-1]["previous"]
    while link is not None:
        body = alice_api.get(link).json()
        back.append([row["id"] for row in body["results"]])
        link = body["previous"]
    assert back == [[row["id"] for row in page["results"]] for page in pages[:-1]][::-1]


def test_rows_added_or_archived_between_pages_are_neither_skipped_nor_repeated(
    alice_api: APIClient, acme: Client, many: None
) -> None:
    first = alice_api.get("/api/v1/contacts/", {"page_size": 3}).json()
    seen = [row["name"] for row in first["results"]]
    # Meanwhile: a contact sorted before the page's end, and one of the page archived.
    contact_create(client=acme, actor=None, name="Aaron", email="aaron@x.example")
    contact_archive(contact=Contact.objects.get(pk=first["results"][0]["id"]), actor=None)
    ids, _pages = walk(alice_api, first["next"])
    rest = list(Contact.objects.filter(pk__in=ids).values_list("name", flat=True))
    remaining = Contact.objects.filter(archived_at__isnull=True).exclude(name="Aaron")
    assert sorted(seen[1:] + rest) == sorted(remaining.values_list("name", flat=True))
    assert len(ids) == len(set(ids))


def test_descending_list_walks_newest_first(alice_api: APIClient, many: None) -> None:
    ids, _pages = walk(alice_api, "/api/v1/projects/", page_size=3)
    expected = list(
        Project.objects.filter(archived_at__isnull=True)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
    assert ids == expected


def _raw(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "bm90IGpzb24",  # "not json"
        _raw({"n": 1}),
        _raw(["x", ["Anna", 1]]),
        _raw(["n", ["Anna"]]),  # too short
        _raw(["n", ["Anna", 1, 2]]),  # too long
        _raw(["n", ["Anna", "one"]]),
        _raw(["n", ["Anna", 2**70]]),
        _raw(["n", [None, 1]]),
        _raw(["n", [["nested"], 1]]),
        _raw(["n", ["Anna", True]]),
        "A" * 1001,
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(alice_api: APIClient, carol: Contact, cursor: str) -> None:
    response = alice_api.get("/api/v1/contacts/", {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["cursor"]


def test_a_cursor_of_another_list_is_refused_when_its_types_do_not_fit(
    alice_api: APIClient, website: Project
) -> None:
    contacts_cursor = encode_cursor("n", ("Anna", 3))
    response = alice_api.get("/api/v1/projects/", {"cursor": contacts_cursor})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]
    naive = _raw(["n", ["2026-01-01T10:00:00", 3]])
    assert alice_api.get("/api/v1/projects/", {"cursor": naive}).status_code == 400


def test_cursor_and_page_size_given_twice_are_refused(alice_api: APIClient, carol: Contact) -> None:
    cursor = encode_cursor("n", ("A", 1))
    response = alice_api.get(f"/api/v1/contacts/?cursor={cursor}&cursor={cursor}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]
    response = alice_api.get("/api/v1/contacts/?page_size=2&page_size=3")
    assert list(response.json()["errors"]) == ["page_size"]


def test_a_cursor_cannot_reach_another_workspace(
    alice_api: APIClient, carol: Contact, mallory_data: dict[str, Any]
) -> None:
    # A cursor only positions the list; the list is still alice's workspace alone.
    before_everything = encode_cursor("n", ("", 0))
    rows = alice_api.get("/api/v1/contacts/", {"cursor": before_everything}).json()["results"]
    assert [row["id"] for row in rows] == [carol.pk]


def test_an_empty_page_after_a_cursor_links_back(alice_api: APIClient, carol: Contact) -> None:
    past_the_end = encode_cursor("n", ("zzzz", 10**9))
    body = alice_api.get("/api/v1/contacts/", {"cursor": past_the_end}).json()
    assert body["results"] == [] and body["next"] is None
    back = alice_api.get(body["previous"]).json()
    assert [row["id"] for row in back["results"]] == [carol.pk]


def test_deep_pages_run_the_queries_of_the_first(
    alice_api: APIClient, alice: Persona, acme: Client, many: None
) -> None:
    for i in range(20):
        contact_create(client=acme, actor=None, name=f"Deep {i}", email=f"d{i}@x.example")
    alice_api.get("/api/v1/contacts/")  # the token's last use is written at most once a minute
    counts = []
    link: str | None = "/api/v1/contacts/?page_size=3"
    while link is not None:
        with CaptureQueriesContext(connection) as captured:
            body = alice_api.get(link).json()
        counts.append(len(captured.captured_queries))
        link = body["next"]
    assert len(counts) > 5
    assert set(counts) == {3}  # authentication, the page, the page's important dates


def test_orderings_end_with_the_id_and_have_no_null_keys() -> None:
    with pytest.raises(ValueError, match="the id"):
        Ordering(Contact, ("name",))
    with pytest.raises(ValueError, match="one direction"):
        Ordering(Contact, ("name", "-id"))
    with pytest.raises(ValueError, match="null"):
        Ordering(Project, ("due_date", "id"))
    for _prefix, viewset, _basename in router.registry:
        assert issubclass(viewset, ResourceViewSet)
        assert viewset.ordering.names[-1] == "id"
    assert Milestone._meta.get_field("due_date").null is False
