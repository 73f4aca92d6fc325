"""Every URL that names an object, asked with an id that names nothing: 404, never 500.

A 20-digit id is larger than any database integer (the ORM answers "no such row"), a negative
or non-numeric one does not match the URL's converter. The walk takes every named URL from the
resolver, so a new URL is covered without being listed here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rapport.accounts.services import api_token_create
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona

ODD_IDS = ("99999999999999999999", "-7", "abc")
# A placeholder id that reverse() accepts; each URL is built with it, then it is replaced.
PLACEHOLDER = 7_654_321
API_OBJECT_ROUTES = ("-detail", "-archive", "-restore")


def _named_patterns(
    patterns: Sequence[object], namespace: str = ""
) -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _named_patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def _object_urls() -> list[tuple[str, str]]:
    """(name, path with the placeholder) of every URL whose kwargs are ids."""
    urls: dict[str, str] = {}
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name.startswith("api:") and name.endswith(API_OBJECT_ROUTES):
            urls[name] = reverse(name, kwargs={"pk": str(PLACEHOLDER)})
            continue
        converters = getattr(pattern.pattern, "converters", {})
        if converters and all(type(c).__name__ == "IntConverter" for c in converters.values()):
            urls[name] = reverse(name, kwargs=dict.fromkeys(converters, PLACEHOLDER))
    return sorted(urls.items())


def test_the_walk_finds_the_object_urls() -> None:
    names = {name for name, _ in _object_urls()}
    assert {"clients:detail", "projects:detail", "portal:project", "api:contact-detail"} <= names
    assert len(names) > 60


@pytest.fixture
def callers(alice: Persona, carol: Contact) -> dict[str, HttpClient]:
    staff = HttpClient()
    staff.force_login(alice.user)
    portal = HttpClient()
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    assert portal.post(reverse("portal:open", args=[token])).status_code == 302
    _token, secret = api_token_create(membership=alice.membership, name="odd ids")
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return {"staff": staff, "portal": portal, "api": api}


def test_odd_ids_are_not_found_everywhere(callers: dict[str, HttpClient]) -> None:
    answers: dict[str, list[int]] = {}
    for name, path in _object_urls():
        # portal: and api: URLs with their own callers, every other URL as staff
        http = callers.get(name.split(":")[0], callers["staff"])
        for odd in ODD_IDS:
            url = path.replace(str(PLACEHOLDER), odd)
            for method in ("get", "post"):
                status = getattr(http, method)(url).status_code
                if status not in (404, 405):
                    answers.setdefault(f"{method.upper()} {url} ({name})", []).append(status)
    assert not answers, f"Expected 404 (or 405 for a method the URL refuses): {answers}"
