"""Greek, Romanian and Indonesian are complete: no empty or fuzzy entries, placeholders kept,
and the pages render in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

LANGUAGES = ["el", "ro", "id"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(language: str):
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    catalogue = _catalogue(language)
    assert len(catalogue) > 500
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: untranslated {message.id!r}"
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        wanted = set(PLACEHOLDER.findall(source))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, (
                f"{language}: placeholders of {source!r}"
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_render_in_each_language(
    language, alice_http, acme, carol, website, design_milestone
):
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
