"""The pages that ask for a new portal link keep the contact's language (P29): an expired
link's page answers in its contact's language and carries it to the request form, whose
answer comes back in the same language; a ``lang`` the page was opened with counts too."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona


def _in(language: str, english: str) -> str:
    with translation.override(language):
        return translation.gettext(english)


def test_a_used_links_page_and_the_request_it_sends_stay_in_the_contacts_language(
    carol: Contact, alice: Persona
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    first = HttpClient()
    assert first.post(reverse("portal:open", args=[token])).status_code == 302
    # Someone else opens the used link, with a browser in English.
    http = HttpClient(headers={"accept-language": "en"})
    invalid = http.get(reverse("portal:open", args=[token]))
    page = invalid.content.decode()
    assert invalid.status_code == 404 and '<html lang="el">' in page
    assert _in("el", "This link no longer works") in page
    assert '<input type="hidden" name="lang" value="el">' in page
    answer = http.post(reverse("portal:link_request"), {"email": carol.email, "lang": "el"})
    assert answer.status_code == 200 and answer["Content-Language"] == "el"
    assert _in("el", "Check your email") in answer.content.decode()
    # A form sent back with an error is in Greek too.
    wrong = http.post(reverse("portal:link_request"), {"email": "not an address", "lang": "el"})
    body = wrong.content.decode()
    assert wrong.status_code == 400 and '<html lang="el">' in body
    assert "Enter a valid email address." not in body


@pytest.mark.parametrize("language", ["ro", "id", "el"])
def test_the_request_page_opens_in_the_language_it_was_given(language: str) -> None:
    http = HttpClient(headers={"accept-language": "en"})
    response = http.get(reverse("portal:link_request") + f"?lang={language}")
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert _in(language, "Get a link to your project page") in page
    assert f'name="lang" value="{language}"' in page


@pytest.mark.django_db
def test_an_unknown_lang_falls_back_to_the_visitors_language() -> None:
    http = HttpClient(headers={"accept-language": "ro"})
    page = http.get(reverse("portal:link_request") + "?lang=xx").content.decode()
    assert '<html lang="ro">' in page and 'value="ro"' in page
