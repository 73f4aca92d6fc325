"""The portal in the contact's language and locale (P29): words, dates and percentages take
the contact's language, two contacts of one client each read their own, and the language
switch of the public pages keeps working."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.core.tests.sections import page_with_sections
from rapport.projects.models import Milestone
from rapport.projects.services import milestone_update

ISO_DATE = re.compile(r">[^<]*\d{4}-\d{2}-\d{2}[^<]*<")  # in text, not in a datetime attribute


def _portal(contact: Contact, alice: Persona) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=alice.user)
    http = HttpClient()
    assert http.post(reverse("portal:open", args=[token])).status_code == 302
    return http


def test_two_contacts_of_one_client_each_read_their_language(
    acme: Client, carol: Contact, alice: Persona, design_milestone: Milestone
) -> None:
    milestone_update(milestone=design_milestone, actor=alice.user, due_date=dt.date(2026, 12, 4))
    radu = contact_create(
        client=acme, actor=alice.user, name="Radu", email="radu@acme.example", language="ro"
    )
    pages = {}
    for contact in (carol, radu):
        http = _portal(contact, alice)
        home = page_with_sections(http, reverse("portal:home"))
        project = http.get(reverse("portal:project", args=[design_milestone.project_id]))
        assert project["Content-Language"] == contact.language
        pages[contact.language] = home + project.content.decode()
    assert '<html lang="ro">' in pages["ro"] and '<html lang="el">' in pages["el"]
    assert "40\xa0%" in pages["ro"] and "4 dec 2026" in pages["ro"]
    assert "40%" in pages["el"] and "4 Δεκεμβρίου 2026" in pages["el"]
    for page in pages.values():
        assert not ISO_DATE.search(page)


def test_the_contacts_time_zone_ends_with_the_page(carol: Contact, alice: Persona) -> None:
    http = _portal(carol, alice)
    assert http.get(reverse("portal:home")).status_code == 200
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_language_switch_on_the_public_portal_page() -> None:
    http = HttpClient()
    url = reverse("portal:link_request")
    response = http.post(reverse("language"), {"language": "id", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    page = http.get(url)
    assert '<html lang="id">' in page.content.decode()
