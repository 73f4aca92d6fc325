"""API list pages keep their compiled statements (SQL, never rows) by the inputs of their SQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from rapport.api import base as api_base
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.projects.models import Milestone, Project
from rapport.projects.services import milestone_create


def test_a_page_asked_again_is_not_built_again_but_shows_the_data_of_now(
    alice_api: APIClient, acme: Client, carol: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.api.clients import ContactViewSet

    built = []
    select_list = ContactViewSet.select_list

    def counting(self: Any, filters: dict[str, Any]) -> Any:
        built.append(filters)
        return select_list(self, filters)

    monkeypatch.setattr(ContactViewSet, "select_list", counting)
    first = alice_api.get("/api/v1/contacts/").json()["results"]
    contact_create(client=acme, actor=None, name="Aaron", email="aaron@acme.example")
    second = alice_api.get("/api/v1/contacts/").json()["results"]
    assert [row["name"] for row in first] == [carol.name]
    assert [row["name"] for row in second] == ["Aaron", carol.name]
    assert len(built) == 1
    alice_api.get("/api/v1/contacts/", {"q": "aaron"})  # other inputs, other statements
    assert len(built) == 2
    assert len(api_base.PAGES._entries) == 2


def test_a_kept_client_search_finds_contacts_added_since(
    alice_api: APIClient, acme: Client, alice: Any
) -> None:
    """The search's statement is kept: it must find clients by contacts added after it."""
    from rapport.clients.services import client_create

    other = client_create(workspace=alice.workspace, actor=None, name="Blue Ltd")
    assert alice_api.get("/api/v1/clients/", {"q": "harbour"}).json()["results"] == []
    contact_create(client=other, actor=None, name="Ana Harbourne", email="ana@blue.example")
    found = alice_api.get("/api/v1/clients/", {"q": "harbour"}).json()["results"]
    assert [row["name"] for row in found] == ["Blue Ltd"]


def test_due_soon_statements_move_with_the_day(
    alice_api: APIClient, website: Project, design_milestone: Milestone
) -> None:
    today = date.today()
    later = milestone_create(
        project=website, actor=None, title="Later", due_date=today + timedelta(days=3)
    )
    url = "/api/v1/milestones/?due_within_days=1&open=true"
    with time_machine.travel(datetime.combine(today, datetime.min.time()) + timedelta(hours=12)):
        now_ids = [row["id"] for row in alice_api.get(url).json()["results"]]
    with time_machine.travel(
        datetime.combine(today, datetime.min.time()) + timedelta(days=2, hours=12)
    ):
        later_ids = [row["id"] for row in alice_api.get(url).json()["results"]]
    assert later.pk not in now_ids
    assert later.pk in later_ids
