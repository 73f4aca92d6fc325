"""Clients and contacts over the API: CRUD, filters, validation (400 naming the field)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, important_date_add
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent

CLIENTS = "/api/v1/clients/"
CONTACTS = "/api/v1/contacts/"


def errors(response: Any) -> dict[str, list[str]]:
    assert response["Content-Type"] == "application/json", response.content
    found: dict[str, list[str]] = response.json()["errors"]
    return found


# --- clients ---------------------------------------------------------------------------------


def test_client_create_retrieve_patch_archive_restore(alice_api: APIClient, alice: Persona) -> None:
    response = alice_api.post(
        CLIENTS,
        {
            "name": "Globex",
            "status": "lead",
            "industry_tags": ["Retail", "retail", " web "],
            "glossary": [{"term": "the thing", "meaning": "the mobile app"}],
            "timezone": "Europe/Bucharest",
            "currency": "ron",
            "language": "ro",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Globex"
    assert body["industry_tags"] == ["retail", "web"]  # normalised by the service
    assert body["currency"] == "RON"
    assert body["account_owner"] == alice.user.pk  # the actor by default
    assert body["glossary"] == [{"term": "the thing", "meaning": "the mobile app"}]
    assert body["archived_at"] is None
    url = f"{CLIENTS}{body['id']}/"

    assert alice_api.get(url).json() == body

    response = alice_api.patch(url, {"status": "active", "account_owner": None}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert response.json()["account_owner"] is None
    client = Client.objects.get(pk=body["id"])
    assert client.status == "active"
    assert TimelineEvent.objects.filter(client=client, verb="client.status_changed").exists()

    response = alice_api.post(f"{url}archive/")
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    ids = [row["id"] for row in alice_api.get(CLIENTS).json()["results"]]
    assert body["id"] not in ids
    ids = [row["id"] for row in alice_api.get(CLIENTS, {"archived": "true"}).json()["results"]]
    assert ids == [body["id"]]

    response = alice_api.post(f"{url}restore/")
    assert response.status_code == 200
    assert response.json()["archived_at"] is None


def test_client_list_filters(alice_api: APIClient, alice: Persona, acme: Client) -> None:
    client_create(workspace=alice.workspace, actor=None, name="Zeta Lead", status="lead")

    def names(**params: str) -> list[str]:
        response = alice_api.get(CLIENTS, params)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names() == ["Acme Ltd", "Zeta Lead"]
    assert names(status="lead") == ["Zeta Lead"]
    assert names(q="retail") == ["Acme Ltd"]  # a tag
    assert names(q="zeta") == ["Zeta Lead"]
    assert names(owner=str(alice.user.pk)) == ["Acme Ltd"]
    assert names(archived="true") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "alien"}, "status"),
        ({"owner": "abc"}, "owner"),
        ({"owner": "0"}, "owner"),
        ({"archived": "maybe"}, "archived"),
        ({"archived": ""}, "archived"),
        ({"q": "x" * 201}, "q"),
        ({"page": "2"}, "page"),
        ({"page_size": "500"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_client_list_bad_filter_is_400_naming_it(
    alice_api: APIClient, params: dict[str, str], field: str
) -> None:
    response = alice_api.get(CLIENTS, params)
    assert response.status_code == 400
    assert list(errors(response)) == [field]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "currency": "ZZZ"}, "currency"),
        ({"name": "X", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "X", "kind": "alien"}, "kind"),
        ({"name": ["not", "text"]}, "name"),
        ({"name": ""}, "name"),
        ({"status": "lead"}, "name"),  # name is required
        ({"name": "X", "industry_tags": "retail"}, "industry_tags"),
        ({"name": "X", "industry_tags": [5]}, "industry_tags"),
        ({"name": 5}, "name"),
        ({"name": "X", "temperament_notes": False}, "temperament_notes"),
        ({"name": "X", "industry_tags": ["a|b"]}, "industry_tags"),
        ({"name": "X", "glossary": [{"term": "only a term"}]}, "glossary"),
        ({"name": "X", "glossary": {"term": "t", "meaning": "m"}}, "glossary"),
        ({"name": "X", "account_owner": "abc"}, "account_owner"),
        ({"name": "X", "account_owner": 999999}, "account_owner"),
        ({"name": "X", "colour": "red"}, "colour"),  # unknown fields are refused
    ],
)
def test_client_create_invalid_is_400_naming_the_field_and_writes_nothing(
    alice_api: APIClient, alice: Persona, payload: dict[str, Any], field: str
) -> None:
    response = alice_api.post(CLIENTS, payload, format="json")
    assert response.status_code == 400
    assert field in errors(response)
    assert all(isinstance(m, str) for messages in errors(response).values() for m in messages)
    assert not Client.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_garbage_json_is_400(alice_api: APIClient, alice: Persona) -> None:
    response = alice_api.post(CLIENTS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in errors(response)
    response = alice_api.post(CLIENTS, ["a", "list"], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in errors(response)
    assert not Client.objects.exists()


def test_client_patch_invalid_changes_nothing(alice_api: APIClient, acme: Client) -> None:
    response = alice_api.patch(
        f"{CLIENTS}{acme.pk}/", {"name": "Renamed", "currency": "XXXX"}, format="json"
    )
    assert response.status_code == 400
    assert "currency" in errors(response)
    response = alice_api.patch(
        f"{CLIENTS}{acme.pk}/", {"name": "Renamed", "timezone": "Nowhere"}, format="json"
    )
    assert response.status_code == 400
    assert "timezone" in errors(response)
    acme.refresh_from_db()
    assert acme.name == "Acme Ltd"
    assert acme.timezone == "Europe/Athens"


def test_unknown_or_malformed_ids_are_404(alice_api: APIClient, acme: Client) -> None:
    for pk in ["999999", "abc", "0", "-1", "99999999999999999999999", "1.0"]:
        response = alice_api.get(f"{CLIENTS}{pk}/")
        assert response.status_code == 404, pk
        assert "non_field_errors" in errors(response)
        assert alice_api.post(f"{CLIENTS}{pk}/archive/").status_code == 404
    assert alice_api.get("/api/v1/no-such-thing/").status_code == 404
    assert alice_api.get("/api/v1/no-such-thing/")["Content-Type"] == "application/json"


def test_put_and_delete_are_not_offered(alice_api: APIClient, acme: Client) -> None:
    assert alice_api.put(f"{CLIENTS}{acme.pk}/", {"name": "X"}, format="json").status_code == 405
    assert alice_api.delete(f"{CLIENTS}{acme.pk}/").status_code == 405
    assert Client.objects.filter(pk=acme.pk, archived_at__isnull=True).exists()


# --- contacts --------------------------------------------------------------------------------


def test_contact_create_retrieve_patch_archive_restore(alice_api: APIClient, acme: Client) -> None:
    response = alice_api.post(
        CONTACTS,
        {
            "client": acme.pk,
            "name": "Dimitris",
            "email": "Dimitris@Acme.example",
            "telegram": "@dimitris",
            "preferred_channel": "email",
            "contact_hours_start": "09:00",
            "contact_hours_end": "17:30",
            "timezone": "Europe/Athens",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client"] == acme.pk
    assert body["email"] == "dimitris@acme.example"
    assert body["contact_hours_start"] == "09:00"
    # Acme writes in Greek: Dimitris keeps St Demetrius's day from the calendar (P31).
    assert [(d["kind"], d["month"], d["day"]) for d in body["important_dates"]] == [
        ("name_day", 10, 26)
    ]
    url = f"{CONTACTS}{body['id']}/"

    important_date_add(contact=Contact.objects.get(pk=body["id"]), kind="birthday", month=3, day=14)
    detail = alice_api.get(url).json()
    assert [(d["kind"], d["month"], d["day"]) for d in detail["important_dates"]] == [
        ("birthday", 3, 14),
        ("name_day", 10, 26),
    ]

    response = alice_api.patch(url, {"role": "CTO", "language": "el"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "CTO"

    assert alice_api.post(f"{url}archive/").json()["archived_at"] is not None
    assert len(alice_api.get(CONTACTS, {"client": acme.pk}).json()["results"]) == 0
    assert len(alice_api.get(CONTACTS, {"archived": "true"}).json()["results"]) == 1
    assert alice_api.post(f"{url}restore/").json()["archived_at"] is None


def test_contact_list_filters(alice_api: APIClient, acme: Client, carol: Contact) -> None:
    assert [c["name"] for c in alice_api.get(CONTACTS).json()["results"]] == ["Carol Georgiou"]
    assert len(alice_api.get(CONTACTS, {"q": "acme.example"}).json()["results"]) == 1
    assert len(alice_api.get(CONTACTS, {"q": "nobody"}).json()["results"]) == 0
    assert len(alice_api.get(CONTACTS, {"client": acme.pk}).json()["results"]) == 1
    assert len(alice_api.get(CONTACTS, {"client": 999999}).json()["results"]) == 0
    response = alice_api.get(CONTACTS, {"client": "acme"})
    assert response.status_code == 400
    assert list(errors(response)) == ["client"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Carol 2", "email": "CAROL@acme.example"}, "email"),  # duplicate in the client
        ({"name": "X", "email": "not-an-email"}, "email"),
        ({"name": "X", "email": "x@acme.example", "timezone": "Atlantis/Capital"}, "timezone"),
        ({"name": "X", "preferred_channel": "sms"}, "phone"),  # the channel needs its address
        (
            {"name": "X", "email": "x@acme.example", "contact_hours_start": "9am"},
            "contact_hours_start",
        ),
        (
            {"name": "X", "email": "x@acme.example", "contact_hours_start": "09:00"},
            "contact_hours_end",
        ),
        ({"name": "X", "email": "x@acme.example", "language": "klingon"}, "language"),
        ({"name": "X", "email": "x@acme.example", "client": "abc"}, "client"),
        ({"name": "X", "email": "x@acme.example", "client": None}, "client"),
        ({"name": "X", "email": "x@acme.example", "important_dates": [1]}, None),  # read-only
    ],
)
def test_contact_create_invalid_is_400_naming_the_field(
    alice_api: APIClient, acme: Client, carol: Contact, payload: dict[str, Any], field: str | None
) -> None:
    payload = {"client": acme.pk, **payload}
    before = Contact.objects.count()
    response = alice_api.post(CONTACTS, payload, format="json")
    if field is None:  # read-only input is ignored, not refused
        assert response.status_code == 201
        assert response.json()["important_dates"] == []
        return
    assert response.status_code == 400, response.content
    assert field in errors(response)
    assert Contact.objects.count() == before


def test_contact_client_cannot_be_changed(
    alice_api: APIClient, alice: Persona, carol: Contact
) -> None:
    other = client_create(workspace=alice.workspace, actor=None, name="Other")
    response = alice_api.patch(f"{CONTACTS}{carol.pk}/", {"client": other.pk}, format="json")
    assert response.status_code == 400
    assert "client" in errors(response)
    carol.refresh_from_db()
    assert carol.client_id != other.pk


def test_contact_patch_duplicate_email_is_400(
    alice_api: APIClient, acme: Client, carol: Contact
) -> None:
    response = alice_api.post(
        CONTACTS, {"client": acme.pk, "name": "Dan", "email": "dan@acme.example"}, format="json"
    )
    dan = response.json()["id"]
    response = alice_api.patch(f"{CONTACTS}{dan}/", {"email": "carol@acme.example"}, format="json")
    assert response.status_code == 400
    assert "email" in errors(response)
    assert Contact.objects.get(pk=dan).email == "dan@acme.example"
