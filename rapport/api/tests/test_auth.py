"""Bearer tokens: no token, a bad one or a revoked one is a 401; the schema is public."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from rest_framework.test import APIClient

from rapport.accounts.models import Membership
from rapport.accounts.services import api_token_create, api_token_revoke, member_remove
from rapport.clients.models import Client
from rapport.conftest import Persona

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

URLS = [
    "/api/v1/clients/",
    "/api/v1/contacts/",
    "/api/v1/projects/",
    "/api/v1/milestones/",
    "/api/v1/deliverables/",
]


def assert_401(response: _MonkeyPatchedResponse) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "non_field_errors" in response.json()["errors"]


@pytest.mark.parametrize("url", URLS)
def test_no_token_is_401(db: None, url: str) -> None:
    assert_401(APIClient().get(url))
    assert_401(APIClient().post(url, {}, format="json"))


@pytest.mark.parametrize(
    "header",
    ["Bearer rpt_not-a-real-token", "Bearer", "Bearer a b", "Token nope", "Bearer \xe9"],
)
def test_invalid_token_is_401(alice: Persona, acme: Client, header: str) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    assert_401(api.get("/api/v1/clients/"))
    assert_401(api.get(f"/api/v1/clients/{acme.pk}/"))


def test_revoked_token_is_401(alice: Persona, acme: Client) -> None:
    token, secret = api_token_create(membership=alice.membership, name="ci")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/clients/").status_code == 200
    api_token_revoke(membership=alice.membership, token_id=token.pk)
    assert_401(api.get("/api/v1/clients/"))
    assert_401(api.post(f"/api/v1/clients/{acme.pk}/archive/"))
    acme.refresh_from_db()
    assert acme.archived_at is None


def test_token_of_a_former_member_is_401(alice: Persona, mallory: Persona) -> None:
    membership = Membership.objects.create(workspace=alice.workspace, user=mallory.user)
    _token, secret = api_token_create(membership=membership, name="old job")
    member_remove(membership=alice.membership, member_id=membership.pk)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert_401(api.get("/api/v1/clients/"))


def test_session_login_is_not_enough(alice: Persona) -> None:
    # The API takes bearer tokens only: a browser session (and its cookies) is not accepted.
    api = APIClient()
    api.force_login(alice.user)
    assert_401(api.get("/api/v1/clients/"))


def test_schema_is_public(db: None) -> None:
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/clients/{id}/archive/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi:")  # YAML unless JSON is asked for
