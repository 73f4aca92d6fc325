"""API clients for the personas: each authenticates with its own workspace's bearer token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rapport.accounts.services import api_token_create
from rapport.conftest import Persona


def api_client(persona: Persona) -> APIClient:
    _token, secret = api_token_create(membership=persona.membership, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def alice_api(alice: Persona) -> APIClient:
    return api_client(alice)


@pytest.fixture
def mallory_api(mallory: Persona) -> APIClient:
    return api_client(mallory)
