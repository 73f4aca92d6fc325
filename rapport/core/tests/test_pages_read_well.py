"""Every staff and portal page, in English, Greek, Romanian and Indonesian, shows dates day
first with a 24-hour clock (no ISO, no US order), and no form shows Django's English widget
texts in Greek, Romanian or Indonesian (docs/formatting.md).

The pages are the ones the tenancy walk names (``test_isolation``), with alice's full set of
objects, so a new page is read here as soon as it is listed there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import resolve, reverse

from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona
from rapport.core.tests.readable_text import (
    english_widget_texts,
    unreadable_dates,
    visible_text,
)
from rapport.core.tests.test_isolation import OBJECT_URLS, WORKSPACE_PAGES
from rapport.core.tests.test_isolation import alice_objects as alice_objects
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise

LANGUAGES = ("en", "el", "ro", "id")
# Files, not pages.
NOT_HTML = {
    "agreements:contract_pdf",
    "billing:invoice_pdf",
    "portal:invoice_pdf",
    "portal:sign_pdf",
    "clients:brief_file",
    "portal:brief_file",
    "accounts:business_logo",
    "portal:business_logo",
    "portal:deliverable_file",
    "projects:attachment_file",
}
# Sent to every form: required fields left out, and values Django's own validators refuse
# (an empty POST would leave the forms unbound).
BAD_INPUT = {
    "email": "not an address",
    "due_date": "31/31/2026",
    "start_date": "someday",
    "website": "not a site",
    "quantity": "many",
    "valid_until": "soon",
}
# Pages with no object in their address whose form posts back to them.
WORKSPACE_FORMS = ("clients:create", "projects:create", "portal:request_new", "portal:change_new")
# Fragments that need their query string (the quote form's "add a row" asks for a kind).
QUERY = {"agreements:quote_row": "?kind=lines&lines-TOTAL_FORMS=1"}
# The 20th: dates a few days around it have a day above 12, so a month-first date shows.
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def _pages(objects: dict[str, Any]) -> list[tuple[str, str]]:
    pages = [
        (name, reverse(name))
        for name, method in WORKSPACE_PAGES.items()
        if method == "get" and name not in NOT_HTML
    ]
    for name, (kwargs_map, methods) in OBJECT_URLS.items():
        if "get" in methods and name not in NOT_HTML:
            kwargs = {kw: objects[key].pk for kw, key in kwargs_map.items()}
            pages.append((name, reverse(name, kwargs=kwargs) + QUERY.get(name, "")))
    return sorted(pages)


def _readers(alice: Persona, carol: Contact, language: str) -> tuple[HttpClient, HttpClient]:
    """alice in the staff UI and carol in the portal, both reading ``language``."""
    alice.user.language = language
    alice.user.save(update_fields=["language"])
    carol.language = language
    carol.save(update_fields=["language"])
    staff = HttpClient()
    staff.force_login(alice.user)
    portal = HttpClient()
    _link, token = portal_link_create(contact=carol, actor=None)
    portal.post(reverse("portal:open", args=[token]))
    return staff, portal


def _alerts_with_stored_values(alice: Persona, objects: dict[str, Any]) -> None:
    """Alerts whose data carry a date and an amount as the scanners store them."""
    quote = objects["quote"]
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.QUOTE_EXPIRING,
        dedupe_key="quote_expiring:test",
        client=objects["client"],
        subject=quote,
        data={"ref": quote.reference, "title": quote.title, "date": "2026-12-04"},
    )
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.INVOICE_OVERDUE,
        dedupe_key="invoice_overdue:test",
        client=objects["client"],
        subject=objects["invoice"],
        data={"number": "7", "client": "Acme", "balance": "330.00 EUR", "due": "2026-11-13"},
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_reads_dates_and_widgets_in_the_language(
    language: str, clock: None, alice: Persona, alice_objects: dict[str, Any]
) -> None:
    _alerts_with_stored_values(alice, alice_objects)
    staff, portal = _readers(alice, alice_objects["contact"], language)
    problems: list[tuple[str, list[str]]] = []
    pages = _pages(alice_objects)
    assert len(pages) >= 60  # the walk would pass vacuously if the lists moved
    for name, url in pages:
        http = portal if name.startswith("portal:") else staff
        response = http.get(url)
        # A form that no longer applies (a sent quote's editor) sends the reader on.
        assert response.status_code in (200, 302), (name, url, response.status_code)
        body = response.content.decode()
        found = unreadable_dates(visible_text(body))
        if language != "en":
            found += english_widget_texts(body)
        if found:
            problems.append((name, found))
    assert not problems, problems


@pytest.mark.parametrize("language", ("el", "ro", "id"))
def test_form_errors_are_in_the_language(
    language: str, alice: Persona, alice_objects: dict[str, Any]
) -> None:
    """Every form page, sent with fields missing and values Django refuses, answers with
    errors in the reader's language."""
    staff, portal = _readers(alice, alice_objects["contact"], language)
    problems: list[tuple[str, list[str]]] = []
    forms = [reverse(name) for name in WORKSPACE_FORMS]
    for name, (kwargs_map, methods) in sorted(OBJECT_URLS.items()):
        if methods == ("get", "post"):
            kwargs = {kw: alice_objects[key].pk for kw, key in kwargs_map.items()}
            forms.append(reverse(name, kwargs=kwargs))
    for url in forms:
        name = resolve(url).view_name
        http = portal if name.startswith("portal:") else staff
        body = http.post(url, BAD_INPUT).content.decode()
        found = english_widget_texts(body)
        if found:
            problems.append((name, found))
    assert len(forms) >= 20
    assert not problems, problems


def test_timeline_and_alerts_write_stored_amounts_and_dates_for_the_reader(
    alice: Persona, alice_objects: dict[str, Any]
) -> None:
    """The invoice issued in the fixture stored "500.00 EUR"; the Greek reader sees the
    amount the Greek way, and an alert's ISO date as a Greek date."""
    _alerts_with_stored_values(alice, alice_objects)
    staff, _portal = _readers(alice, alice_objects["contact"], "el")
    client = alice_objects["client"]
    timeline = staff.get(reverse("clients:timeline", args=[client.pk])).content.decode()
    assert "500,00\xa0€" in timeline and "500.00 EUR" not in timeline
    alerts = staff.get(reverse("notifications:alerts")).content.decode()
    assert "4 Δεκεμβρίου 2026" in alerts and "330,00\xa0€" in alerts, alerts
