"""Tenancy: mallory's token never reaches alice's rows, and alice never sees mallory's.

Every detail endpoint answers 404 for another workspace's row, exactly as for an id that does not
exist, and changes nothing; ids of another workspace in a request body are refused (400 naming
the field) and in a filter they match nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.projects.models import Deliverable, Milestone, Project

RESOURCES = {
    "clients": ("client", Client),
    "contacts": ("contact", Contact),
    "projects": ("project", Project),
    "milestones": ("milestone", Milestone),
    "deliverables": ("deliverable", Deliverable),
}
# A harmless but valid change for each resource, so a 404 cannot come from a 400.
PATCHES = {
    "clients": {"name": "Pwned"},
    "contacts": {"name": "Pwned"},
    "projects": {"title": "Pwned"},
    "milestones": {"title": "Pwned"},
    "deliverables": {"title": "Pwned"},
}


@pytest.fixture
def alice_rows(carol: Contact, layouts: Deliverable) -> dict[str, Any]:
    milestone = layouts.milestone
    return {
        "client": carol.client,
        "contact": carol,
        "project": milestone.project,
        "milestone": milestone,
        "deliverable": layouts,
    }


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_outsider_gets_404_on_every_detail_endpoint(
    mallory_api: APIClient, alice_rows: dict[str, Any], resource: str
) -> None:
    key, model = RESOURCES[resource]
    row = alice_rows[key]
    before = model.objects.filter(pk=row.pk).values().get()
    events = TimelineEvent.objects.count()
    url = f"/api/v1/{resource}/{row.pk}/"

    responses = [
        mallory_api.get(url),
        mallory_api.patch(url, PATCHES[resource], format="json"),
        mallory_api.post(f"{url}archive/"),
        mallory_api.post(f"{url}restore/"),
    ]

    for response in responses:
        assert response.status_code == 404, (response.request, response.content)
        assert response.json() == {"errors": {"non_field_errors": ["Not found."]}}
    assert model.objects.filter(pk=row.pk).values().get() == before
    assert TimelineEvent.objects.count() == events


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_lists_never_show_another_workspace(
    alice_api: APIClient,
    mallory_api: APIClient,
    alice_rows: dict[str, Any],
    mallory_data: dict[str, Any],
    resource: str,
) -> None:
    key, _model = RESOURCES[resource]
    for api, own, other in (
        (alice_api, alice_rows[key], mallory_data[key]),
        (mallory_api, mallory_data[key], alice_rows[key]),
    ):
        for archived in ("false", "true"):
            response = api.get(f"/api/v1/{resource}/", {"archived": archived})
            ids = {row["id"] for row in response.json()["results"]}
            assert other.pk not in ids
            assert (own.pk in ids) == (archived == "false")


@pytest.mark.parametrize(
    ("resource", "payload", "field", "target"),
    [
        ("contacts", {"name": "Eve 2", "email": "e2@x.example"}, "client", "client"),
        ("projects", {"title": "Steal"}, "client", "client"),
        ("milestones", {"title": "Steal", "due_date": "2030-01-01"}, "project", "project"),
        ("deliverables", {"title": "S", "spec": "S", "format": "F"}, "milestone", "milestone"),
    ],
)
def test_create_referring_to_another_workspace_is_refused(
    alice_api: APIClient,
    alice: Persona,
    mallory_data: dict[str, Any],
    resource: str,
    payload: dict[str, Any],
    field: str,
    target: str,
) -> None:
    model = RESOURCES[resource][1]
    before = model.objects.count()
    payload = {**payload, field: mallory_data[target].pk}
    response = alice_api.post(f"/api/v1/{resource}/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert model.objects.count() == before


def test_account_owner_from_another_workspace_is_refused(
    alice_api: APIClient, mallory: Persona, acme: Client
) -> None:
    response = alice_api.post(
        "/api/v1/clients/", {"name": "X", "account_owner": mallory.user.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["account_owner"]
    response = alice_api.patch(
        f"/api/v1/clients/{acme.pk}/", {"account_owner": mallory.user.pk}, format="json"
    )
    assert response.status_code == 400
    acme.refresh_from_db()
    assert acme.account_owner_id != mallory.user.pk


@pytest.mark.parametrize(
    ("resource", "param", "target"),
    [
        ("contacts", "client", "client"),
        ("projects", "client", "client"),
        ("milestones", "project", "project"),
        ("deliverables", "milestone", "milestone"),
        ("clients", "owner", None),
    ],
)
def test_filtering_by_another_workspace_matches_nothing(
    alice_api: APIClient,
    alice_rows: dict[str, Any],
    mallory: Persona,
    mallory_data: dict[str, Any],
    resource: str,
    param: str,
    target: str | None,
) -> None:
    value = mallory_data[target].pk if target else mallory.user.pk
    response = alice_api.get(f"/api/v1/{resource}/", {param: value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 0
