"""Greek, Romanian and Indonesian are complete: no empty or fuzzy entries, placeholders kept,
and the pages render in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client, Contact
from rapport.projects.models import Milestone, Project

LANGUAGES = ["el", "ro", "id"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(language: str) -> Catalog:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    catalogue = _catalogue(language)
    assert len(catalogue) > 500
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"
        string = message.string or ""
        strings = [string] if isinstance(string, str) else list(string)
        assert all(strings), f"{language}: untranslated {message.id!r}"
        if isinstance(message.id, str):
            wanted = set(PLACEHOLDER.findall(message.id))
            assert set(PLACEHOLDER.findall(strings[0])) == wanted, (
                f"{language}: placeholders of {message.id!r}"
            )
            continue
        # A plural entry: each form says what the singular or the plural says, and the last
        # form (the general one: the only one in Indonesian) what the plural says.
        singular, plural = (set(PLACEHOLDER.findall(text)) for text in message.id)
        found = [set(PLACEHOLDER.findall(text)) for text in strings]
        assert all(f in (singular, plural) for f in found), (
            f"{language}: placeholders of {message.id[0]!r}"
        )
        assert found[-1] == plural, f"{language}: placeholders of {message.id[1]!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_render_in_each_language(
    language: str,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
) -> None:
    alice_http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in [
        reverse("dashboard"),
        reverse("clients:list"),
        reverse("clients:detail", args=[acme.pk]),
        reverse("projects:detail", args=[website.pk]),
        reverse("notifications:alerts"),
        reverse("conversations:inbox"),
        reverse("commitments:ledger"),
        reverse("accounts:settings"),
    ]:
        response = alice_http.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url
