# ruff: noqa: F811  (pytest fixtures imported from the fixture module)
"""The greeting page (P31): the draft in the contact's language, sent over real SMTP through
the outbox, or dismissed; never another workspace's."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.namedays.scan import scan_important_dates
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification
from rapport.notifications.tests.conftest import (  # noqa: F401 (fixtures)
    SmtpServer,
    smtp_server,
    smtp_settings,
)

# Monday 7 December 2026, 12:00 in Athens: inside the contact's hours.
NOON = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def nikos_alert(acme: Client, alice: Persona, language: str = "el") -> tuple[Contact, Alert]:
    """Nikos's name day (St Nicholas, 6 December) greeted on the morning of the 6th."""
    with time_machine.travel(datetime(2026, 12, 5, 12, 0, tzinfo=UTC), tick=False):
        nikos = contact_create(
            client=acme,
            actor=alice.user,
            name="Νίκος Αντωνίου",
            email="nikos@acme.example",
            language=language,
        )
    morning = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    with time_machine.travel(morning, tick=False):
        assert scan_important_dates(morning) == 1
    return nikos, Alert.objects.get(kind="important_date")


def test_the_page_shows_the_draft_in_the_contacts_language(
    alice_http: HttpClient, acme: Client, alice: Persona
) -> None:
    _, alert = nikos_alert(acme, alice)
    with time_machine.travel(NOON, tick=False):
        page = alice_http.get(reverse("care:greeting_detail", args=[alert.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Νίκος Αντωνίου" in html
    assert "Χρόνια πολλά" in html  # the Greek draft of a name-day greeting


def test_sending_queues_the_greeting_and_it_arrives_by_smtp(
    alice_http: HttpClient, acme: Client, alice: Persona, smtp_settings: SmtpServer
) -> None:
    nikos, alert = nikos_alert(acme, alice)
    url = reverse("care:greeting_detail", args=[alert.pk])
    with time_machine.travel(NOON, tick=False):
        answer = alice_http.post(url, {"message": "Χρόνια πολλά, Νίκο! Να είσαι καλά."})
        assert answer.status_code == 302
        # A second click sends nothing more: the alert is done.
        again = alice_http.post(url, {"message": "Χρόνια πολλά!"})
        assert again.status_code == 400
        assert deliver_due(worker="test") == 1
    assert smtp_settings.wait_for(1)
    received = smtp_settings.received[0]
    assert received.rcpt_tos == ["nikos@acme.example"]
    assert "Χρόνια πολλά, Νίκο! Να είσαι καλά." in received.text
    assert received.text.startswith("Γεια σας")  # the Greek salutation around it
    note = Notification.objects.get(kind="greeting")
    assert (note.contact_id, note.language, note.state) == (nikos.pk, "el", "sent")
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE


def test_an_empty_greeting_is_refused_on_its_field(
    alice_http: HttpClient, acme: Client, alice: Persona
) -> None:
    _, alert = nikos_alert(acme, alice)
    with time_machine.travel(NOON, tick=False):
        answer = alice_http.post(
            reverse("care:greeting_detail", args=[alert.pk]), {"message": "  "}
        )
    assert answer.status_code == 400
    assert not Notification.objects.filter(kind="greeting").exists()


def test_dismissing_lets_the_day_pass(alice_http: HttpClient, acme: Client, alice: Persona) -> None:
    _, alert = nikos_alert(acme, alice)
    with time_machine.travel(NOON, tick=False):
        answer = alice_http.post(reverse("care:greeting_dismiss", args=[alert.pk]))
    assert answer.status_code == 302
    alert.refresh_from_db()
    assert alert.state == Alert.State.DISMISSED
    assert not Notification.objects.filter(kind="greeting").exists()


def test_another_workspace_gets_404(mallory_http: HttpClient, acme: Client, alice: Persona) -> None:
    _, alert = nikos_alert(acme, alice)
    assert mallory_http.get(reverse("care:greeting_detail", args=[alert.pk])).status_code == 404
    dismiss = mallory_http.post(reverse("care:greeting_dismiss", args=[alert.pk]))
    assert dismiss.status_code == 404
    alert.refresh_from_db()
    assert alert.state == Alert.State.OPEN


def test_the_contact_card_shows_the_calendar_name_day(
    alice_http: HttpClient, acme: Client, alice: Persona
) -> None:
    nikos, _ = nikos_alert(acme, alice)
    page = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    own = reverse("clients:important_date_add", args=[nikos.pk]) + "?kind=name_day"
    assert own in page
    form = alice_http.get(own).content.decode()
    assert 'value="name_day" selected' in form
