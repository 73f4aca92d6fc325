"""Projects, milestones and deliverables over the API: CRUD, filters, validation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from rapport.clients.models import Client
from rapport.clients.services import client_archive, client_create
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import milestone_create, project_create

PROJECTS = "/api/v1/projects/"
MILESTONES = "/api/v1/milestones/"
DELIVERABLES = "/api/v1/deliverables/"


def errors(response: Any) -> dict[str, list[str]]:
    assert response["Content-Type"] == "application/json", response.content
    found: dict[str, list[str]] = response.json()["errors"]
    return found


def days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


# --- projects --------------------------------------------------------------------------------


def test_project_create_retrieve_patch_archive_restore(alice_api: APIClient, acme: Client) -> None:
    response = alice_api.post(
        PROJECTS,
        {
            "client": acme.pk,
            "title": "Shop redesign",
            "goal": "More repeat orders",
            "start_date": days(0),
            "due_date": days(30),
            "budget": "4500.50",
            "update_cadence": "biweekly",
            "update_weekday": 0,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client"] == acme.pk
    assert body["budget"] == "4500.50"  # decimals travel as strings
    assert body["currency"] == "EUR"  # the client's
    assert body["status"] == "proposed"
    assert body["progress"] == 0
    url = f"{PROJECTS}{body['id']}/"
    assert alice_api.get(url).json() == body

    milestone_create(
        project=Project.objects.get(pk=body["id"]),
        actor=None,
        title="M",
        due_date=date.today(),
        progress=50,
    )
    response = alice_api.patch(url, {"status": "active", "budget": "5000"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert response.json()["budget"] == "5000.00"
    assert response.json()["progress"] == 50

    assert alice_api.post(f"{url}archive/").json()["archived_at"] is not None
    assert len(alice_api.get(PROJECTS).json()["results"]) == 0
    assert len(alice_api.get(PROJECTS, {"archived": "true"}).json()["results"]) == 1
    assert alice_api.post(f"{url}restore/").json()["archived_at"] is None


def test_project_list_filters(
    alice_api: APIClient, alice: Any, acme: Client, website: Project
) -> None:
    other = client_create(workspace=alice.workspace, actor=None, name="Other")
    project_create(client=other, actor=None, title="Other work")

    def titles(**params: Any) -> list[str]:
        response = alice_api.get(PROJECTS, params)
        assert response.status_code == 200, response.content
        return sorted(row["title"] for row in response.json()["results"])

    assert titles() == ["New website", "Other work"]
    assert titles(client=acme.pk) == ["New website"]
    assert titles(status="active") == ["New website"]
    assert titles(client=999999) == []
    for params in ({"status": "done"}, {"client": "x"}, {"archived": "2"}):
        response = alice_api.get(PROJECTS, params)
        assert response.status_code == 400
        assert list(errors(response)) == list(params)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"currency": "ABC"}, "currency"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "1e12"}, "budget"),
        ({"budget": "lots"}, "budget"),
        ({"budget": 12.5}, "budget"),  # decimals travel as strings, never floats
        ({"title": 12.5}, "title"),  # wrong JSON types are refused, not coerced
        ({"update_weekday": "4"}, "update_weekday"),
        ({"client": str(1)}, "client"),
        ({"client": True}, "client"),
        ({"start_date": days(10), "due_date": days(1)}, "due_date"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"status": "finished"}, "status"),
        ({"update_weekday": 7}, "update_weekday"),
        ({"title": ""}, "title"),
        ({"client": None}, "client"),
    ],
)
def test_project_create_invalid_is_400_naming_the_field(
    alice_api: APIClient, acme: Client, payload: dict[str, Any], field: str
) -> None:
    response = alice_api.post(PROJECTS, {"client": acme.pk, "title": "T", **payload}, format="json")
    assert response.status_code == 400, response.content
    assert field in errors(response)
    assert not Project.objects.exists()


def test_project_for_an_archived_client_is_refused(
    alice_api: APIClient, alice: Any, acme: Client
) -> None:
    client_archive(client=acme, actor=None)
    response = alice_api.post(PROJECTS, {"client": acme.pk, "title": "T"}, format="json")
    assert response.status_code == 400
    assert "client" in errors(response)


def test_project_due_date_before_its_milestones_is_refused(
    alice_api: APIClient, website: Project, design_milestone: Milestone
) -> None:
    response = alice_api.patch(f"{PROJECTS}{website.pk}/", {"due_date": days(1)}, format="json")
    assert response.status_code == 400
    assert "due_date" in errors(response)
    website.refresh_from_db()
    assert website.due_date == date.today() + timedelta(days=60)


# --- milestones ------------------------------------------------------------------------------


def test_milestone_create_retrieve_patch_archive(alice_api: APIClient, website: Project) -> None:
    response = alice_api.post(
        MILESTONES, {"project": website.pk, "title": "Launch", "due_date": days(50)}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["project"] == website.pk
    assert (body["progress"], body["status"], body["completed_at"]) == (0, "planned", None)
    url = f"{MILESTONES}{body['id']}/"
    assert alice_api.get(url).json() == body

    response = alice_api.patch(url, {"progress": 100}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"  # 100% is done
    assert response.json()["completed_at"] is not None

    assert alice_api.post(f"{url}archive/").json()["archived_at"] is not None
    assert len(alice_api.get(MILESTONES, {"project": website.pk}).json()["results"]) == 0
    restored = alice_api.post(f"{url}restore/")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert len(alice_api.get(MILESTONES, {"project": website.pk}).json()["results"]) == 1


def test_milestone_list_filters(
    alice_api: APIClient, website: Project, design_milestone: Milestone
) -> None:
    milestone_create(
        project=website, actor=None, title="Later", due_date=date.today() + timedelta(days=40)
    )
    milestone_create(
        project=website,
        actor=None,
        title="Done",
        due_date=date.today() + timedelta(days=2),
        status="done",
    )

    def titles(**params: Any) -> list[str]:
        response = alice_api.get(MILESTONES, params)
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["results"]]

    assert titles() == ["Done", "Page designs", "Later"]  # by due date
    assert titles(due_within_days=7) == ["Done", "Page designs"]
    assert titles(due_within_days=7, open="true") == ["Page designs"]
    assert titles(open="true") == ["Page designs", "Later"]
    assert titles(project=website.pk, due_within_days=0) == []
    for params in (
        {"due_within_days": "-1"},
        {"due_within_days": "soon"},
        {"due_within_days": "99999999"},
        {"open": "perhaps"},
        {"project": "website"},
    ):
        response = alice_api.get(MILESTONES, params)
        assert response.status_code == 400
        assert list(errors(response)) == list(params)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"progress": 130}, "progress"),
        ({"progress": -5}, "progress"),
        ({"progress": "half"}, "progress"),
        ({"progress": "40"}, "progress"),
        ({"progress": 40.5}, "progress"),
        ({"due_date": days(365)}, "due_date"),  # after the project's due date
        ({"due_date": days(-365)}, "due_date"),  # before the project starts
        ({"due_date": None}, "due_date"),
        ({"status": "late"}, "status"),
        ({"project": 999999}, "project"),
    ],
)
def test_milestone_create_invalid_is_400_naming_the_field(
    alice_api: APIClient, website: Project, payload: dict[str, Any], field: str
) -> None:
    payload = {"project": website.pk, "title": "M", "due_date": days(5), **payload}
    response = alice_api.post(MILESTONES, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in errors(response)
    assert not Milestone.objects.exists()


def test_milestone_patch_invalid_changes_nothing(
    alice_api: APIClient, design_milestone: Milestone
) -> None:
    url = f"{MILESTONES}{design_milestone.pk}/"
    for payload, field in (
        ({"title": "Renamed", "progress": 130}, "progress"),
        ({"title": "Renamed", "due_date": days(365)}, "due_date"),
        ({"project": design_milestone.project_id}, "project"),
    ):
        response = alice_api.patch(url, payload, format="json")
        assert response.status_code == 400
        assert field in errors(response)
    design_milestone.refresh_from_db()
    assert (design_milestone.title, design_milestone.progress) == ("Page designs", 40)


# --- deliverables ----------------------------------------------------------------------------


def test_deliverable_create_retrieve_patch_archive(
    alice_api: APIClient, design_milestone: Milestone
) -> None:
    response = alice_api.post(
        DELIVERABLES,
        {
            "milestone": design_milestone.pk,
            "title": "Style guide",
            "spec": "Colours, type, spacing",
            "format": ".pdf",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["milestone"] == design_milestone.pk
    assert body["status"] == "pending"
    url = f"{DELIVERABLES}{body['id']}/"
    assert alice_api.get(url).json() == body

    response = alice_api.patch(url, {"status": "delivered"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "delivered"

    assert alice_api.post(f"{url}archive/").json()["archived_at"] is not None
    assert len(alice_api.get(DELIVERABLES).json()["results"]) == 0
    assert len(alice_api.get(DELIVERABLES, {"archived": "true"}).json()["results"]) == 1


def test_deliverable_list_filter(
    alice_api: APIClient, design_milestone: Milestone, layouts: Deliverable
) -> None:
    assert (
        len(alice_api.get(DELIVERABLES, {"milestone": design_milestone.pk}).json()["results"]) == 1
    )
    assert len(alice_api.get(DELIVERABLES, {"milestone": 999999}).json()["results"]) == 0
    response = alice_api.get(DELIVERABLES, {"milestone": "1; DROP TABLE"})
    assert response.status_code == 400
    assert list(errors(response)) == ["milestone"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"spec": ""}, "spec"),
        ({"format": "x" * 201}, "format"),
        ({"status": "lost"}, "status"),
        ({"milestone": "one"}, "milestone"),
        ({"title": 5.5, "spec": {"a": 1}}, "spec"),
    ],
)
def test_deliverable_create_invalid_is_400_naming_the_field(
    alice_api: APIClient, design_milestone: Milestone, payload: dict[str, Any], field: str
) -> None:
    payload = {
        "milestone": design_milestone.pk,
        "title": "D",
        "spec": "S",
        "format": "F",
        **payload,
    }
    response = alice_api.post(DELIVERABLES, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in errors(response)
    assert not Deliverable.objects.exists()
