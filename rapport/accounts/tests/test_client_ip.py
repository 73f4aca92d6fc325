"""django-axes and the rate limits see the client's address: the socket's, or behind the
documented proxy (BEHIND_PROXY) the one the proxy appended to X-Forwarded-For."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory, override_settings
from django.urls import reverse

from rapport.conftest import PASSWORD, Persona
from rapport.core.client_ip import client_ip

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.5"
ALICE_HOME = "198.51.100.7"


def _headers(address: str) -> dict[str, Any]:
    # What the proxy sends: its own socket address, the client appended to the header (after
    # whatever the client itself claimed).
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"1.2.3.4, {address}"}


def _login(address: str, password: str) -> int:
    response = HttpClient().post(
        reverse("accounts:login"),
        {"username": "alice@example.com", "password": password},
        **_headers(address),
    )
    return response.status_code


@pytest.mark.parametrize(
    ("behind_proxy", "meta", "expected"),
    [
        (False, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ATTACKER}, PROXY),
        (True, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"9.9.9.9, {ATTACKER}"}, ATTACKER),
        (True, {"REMOTE_ADDR": PROXY}, PROXY),
        (True, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-ip"}, PROXY),
        (False, {"REMOTE_ADDR": ""}, None),
        (True, {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:DB8::1"}, "2001:db8::1"),
    ],
)
def test_client_ip(behind_proxy: bool, meta: dict[str, Any], expected: str | None) -> None:
    request = RequestFactory().get("/", **meta)
    with override_settings(BEHIND_PROXY=behind_proxy):
        assert client_ip(request) == expected


@override_settings(BEHIND_PROXY=True)
def test_lockout_behind_proxy_is_per_client(alice: Persona, settings: Any) -> None:
    statuses = [_login(ATTACKER, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429  # the last allowed failure locks the address out
    assert _login(ATTACKER, PASSWORD) == 429  # the attacker's address is locked out
    assert _login(ALICE_HOME, PASSWORD) == 302  # alice, behind the same proxy, is not


@override_settings(BEHIND_PROXY=False)
def test_lockout_without_proxy_setting_uses_the_socket(alice: Persona, settings: Any) -> None:
    # Without BEHIND_PROXY the header is the client's own claim: ignored, so both "clients"
    # are the proxy's one address and share its lockout.
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(ATTACKER, "wrong-password")
    assert _login(ALICE_HOME, PASSWORD) == 429


def _ask_link(address: str, email: str) -> int:
    return (
        HttpClient()
        .post(reverse("portal:link_request"), {"email": email}, **_headers(address))
        .status_code
    )


@override_settings(BEHIND_PROXY=True, PORTAL_LINK_REQUESTS_PER_HOUR=1)
def test_link_limiter_behind_proxy_is_per_client(db: None) -> None:
    # One request an hour per address and four per IP: the fifth from one client is refused.
    for n in range(4):
        assert _ask_link(ATTACKER, f"guess{n}@example.com") == 200
    assert _ask_link(ATTACKER, "guess9@example.com") == 429
    assert _ask_link(ALICE_HOME, "carol@example.com") == 200


@override_settings(BEHIND_PROXY=False, PORTAL_LINK_REQUESTS_PER_HOUR=1)
def test_link_limiter_without_proxy_setting_uses_the_socket(db: None) -> None:
    for n in range(4):
        assert _ask_link(ATTACKER, f"guess{n}@example.com") == 200
    assert _ask_link(ALICE_HOME, "carol@example.com") == 429
