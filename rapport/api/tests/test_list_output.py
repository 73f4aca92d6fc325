"""List and retrieve agree: every list writes each row exactly as the resource's serializer
writes it (``Serializer(obj).data``), byte for byte, for every kind of value a list shows:
nulls, times, dates, decimals, JSON, nested important dates, archived rows, any time zone."""

from __future__ import annotations

import zoneinfo
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from rapport.accounts.services import api_token_create
from rapport.api.base import ResourceViewSet
from rapport.api.urls import router
from rapport.clients.models import Client, Contact
from rapport.clients.services import (
    client_archive,
    client_create,
    client_update,
    contact_archive,
    contact_create,
    contact_update,
    important_date_add,
)
from rapport.conftest import Persona
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import (
    deliverable_archive,
    deliverable_create,
    milestone_archive,
    milestone_complete,
    milestone_create,
    project_archive,
    project_create,
    project_update,
)

# Not a whole number of hours from UTC, and never UTC whatever the date.
ODD_ZONE = zoneinfo.ZoneInfo("America/St_Johns")


@pytest.fixture
def full_data(
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    """Rows in use and archived rows of each resource, with every kind of value, null or not."""
    user = alice.user
    important_date_add(contact=carol, kind="birthday", month=3, day=14, label="Birthday")
    important_date_add(contact=carol, kind="name_day", month=1, day=7, label="")
    contact_update(
        contact=carol,
        actor=user,
        contact_hours_start=time(9, 30),
        contact_hours_end=time(18),
        timezone="Europe/Athens",
    )
    # No hours, no dates (a contact made before workspaces had default contact hours).
    bea = contact_create(client=acme, actor=user, name="Bea Null", email="bea@acme.example")
    Contact.objects.filter(pk=bea.pk).update(contact_hours_start=None, contact_hours_end=None)
    gone = contact_create(client=acme, actor=user, name="Dora Gone", email="dora@acme.example")
    important_date_add(contact=gone, kind="birthday", month=12, day=1, label="", year=1990)
    contact_archive(contact=gone, actor=user)

    client_update(
        client=acme,
        actor=user,
        competitor_tags=["globex", "initech"],
        glossary=[{"term": "drop", "meaning": "a release"}],
        referral_source="A friend",
    )
    old = client_create(workspace=alice.workspace, actor=None, name="Old Co")  # no owner
    client_archive(client=old, actor=user)

    project_update(project=website, actor=user, budget=Decimal("4500.5"))
    project_create(client=acme, actor=user, title="Loose ends")  # no dates, no budget
    shelved = project_create(client=acme, actor=user, title="Shelved", budget=Decimal("12"))
    project_archive(project=shelved, actor=user)

    done = milestone_create(
        project=website, actor=user, title="Kick-off", due_date=date.today() + timedelta(days=1)
    )
    milestone_complete(milestone=done, actor=user)
    dropped = milestone_create(
        project=website, actor=user, title="Dropped", due_date=date.today() + timedelta(days=2)
    )
    milestone_archive(milestone=dropped, actor=user)

    old_layouts = deliverable_create(
        milestone=design_milestone, actor=user, title="Old layouts", spec="S", format="F"
    )
    deliverable_archive(deliverable=old_layouts, actor=user)


def render(data: Any) -> bytes:
    return JSONRenderer().render(data)


def view_of(viewset: type[ResourceViewSet], persona: Persona) -> ResourceViewSet:
    view = viewset()
    token, _secret = api_token_create(membership=persona.membership, name="list output")
    view.request = type("R", (), {"auth": token, "user": persona.user})()
    view.format_kwarg = None
    return view


def serialized(view: ResourceViewSet, persona: Persona, ids: list[int]) -> list[Any]:
    """What retrieve answers for each of ``ids``."""
    serializer_class = view.get_serializer_class()
    return [
        serializer_class(view.select_one(pk), context={"workspace": persona.workspace}).data
        for pk in ids
    ]


@pytest.mark.parametrize("archived", [False, True], ids=["in use", "archived"])
@pytest.mark.parametrize("prefix, viewset, basename", router.registry, ids=lambda v: str(v))
def test_list_rows_equal_the_serializer_output(
    prefix: str,
    viewset: type[ResourceViewSet],
    basename: str,
    archived: bool,
    full_data: None,
    alice: Persona,
    alice_api: APIClient,
) -> None:
    response = alice_api.get(reverse(f"api:{basename}-list"), {"archived": str(archived).lower()})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows, f"{prefix}: the data has rows to list"
    expected = serialized(view_of(viewset, alice), alice, [row["id"] for row in rows])
    assert render(rows) == render(expected)


@pytest.mark.parametrize("prefix, viewset, basename", router.registry, ids=lambda v: str(v))
def test_list_rows_are_written_in_the_current_time_zone(
    prefix: str,
    viewset: type[ResourceViewSet],
    basename: str,
    full_data: None,
    alice: Persona,
) -> None:
    view = view_of(viewset, alice)
    filters = view.filter_class(data=QueryDict())
    filters.is_valid(raise_exception=True)
    with timezone.override(ODD_ZONE):
        rows = view.read_page(view.select_list(dict(filters.validated_data)))
        expected = serialized(view, alice, [row["id"] for row in rows])
    assert rows
    assert render(rows) == render(expected)
    assert "-02:30" in render(rows).decode() or "-03:30" in render(rows).decode()


def test_a_contact_lists_its_important_dates_in_order(
    full_data: None, carol: Contact, alice_api: APIClient
) -> None:
    rows = alice_api.get("/api/v1/contacts/").json()["results"]
    by_name = {row["name"]: row for row in rows}
    dates = by_name[carol.name]["important_dates"]
    assert [(d["month"], d["day"]) for d in dates] == [(1, 7), (3, 14)]
    assert by_name["Bea Null"]["important_dates"] == []
    assert by_name["Bea Null"]["contact_hours_start"] is None
    assert by_name[carol.name]["contact_hours_start"] == "09:30"


def test_decimals_and_progress_are_written_as_the_serializer_writes_them(
    full_data: None, website: Project, alice_api: APIClient
) -> None:
    rows = alice_api.get("/api/v1/projects/").json()["results"]
    row = next(row for row in rows if row["id"] == website.pk)
    assert row["budget"] == "4500.50"
    assert row["progress"] == 70.0  # the mean of 40 and 100 (the milestone done)
