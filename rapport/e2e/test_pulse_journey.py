"""The pulse in a real browser with a real SMTP server (P23, P24).

A Romanian client's progress update arrives with five faces, each a link. A mail scanner's
automated browser opens one and records nothing; the client clicks 😕, the page sends it by
itself and thanks her in Romanian, and she adds a comment. The provider opens the client's
page and sees the trend, and the "client may be upset" alert was raised.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.care.models import PulseAnswer
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import (
    Inbox,
    NewContext,
    Screenshot,
    log_in,
    reachable_now,
    sections_loaded,
)
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert
from rapport.projects.models import Project
from rapport.projects.services import project_create
from rapport.projects.updates import update_send

pytestmark = pytest.mark.browser

EMAIL = "ioana@florar.example"
# What the Romanian contact reads (rapport/locale/ro/LC_MESSAGES/django.po).
RO = {
    "question": "Cum ne descurcăm? Un clic este de ajuns:",
    "thanks": "Vă mulțumim! Ați spus 😕 Nu prea bine.",
    "send": "Trimiteți 😞",
}
# A browser whose script reads like a person's: navigator.webdriver is false, as in any
# browser a person uses (Playwright's reports true, like a scanner's sandbox).
AS_A_PERSON = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false})"


def test_client_clicks_a_face_and_the_provider_sees_the_trend(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    alice: Persona,
    live_server: LiveServer,
    settings: Settings,
) -> None:
    settings.SITE_URL = live_server.url
    today = dt.date.today()
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Florăria Ioana",
        status=Client.Status.ACTIVE,
        language="ro",
        timezone="Europe/Bucharest",
        currency="RON",
    )
    ioana = contact_create(
        client=client, actor=alice.user, name="Ioana Marin", email=EMAIL, language="ro"
    )
    project = project_create(
        client=client,
        actor=alice.user,
        title="Magazin online",
        start_date=today,
        due_date=today + dt.timedelta(days=60),
        status=Project.Status.ACTIVE,
    )

    # 1. The update reaches Ioana by SMTP, in Romanian, ending with five faces.
    update_send(project=project, actor=alice.user, contacts=[ioana], body="Catalogul e gata.")
    reachable_now(EMAIL)
    assert deliver_due(worker="e2e") == 1
    [mail] = inbox.wait_for(1)
    assert RO["question"] in mail.text
    links = re.findall(re.escape(live_server.url) + r"/p/pulse/[^/\s]+/([1-5])/", mail.text)
    assert links == ["1", "2", "3", "4", "5"]
    assert all(f"/{score}/" in mail.html for score in links)
    face_url = {
        score: url
        for url, score in re.findall(
            r"(" + re.escape(live_server.url) + r"/p/pulse/[^/\s]+/([1-5])/)", mail.text
        )
    }

    # 2. A scanner's automated browser opens 😞: the page waits for a press; nothing is kept.
    scanner = new_context().new_page()
    scanner.goto(face_url["1"])
    expect(scanner.get_by_role("button", name=RO["send"])).to_be_visible()
    assert not PulseAnswer.objects.exists()

    # 3. Ioana clicks 😕: her browser sends it at once and she is thanked in Romanian.
    person = new_context(locale="ro-RO", timezone_id="Europe/Bucharest")
    person.add_init_script(AS_A_PERSON)
    portal = person.new_page()
    portal.goto(face_url["2"])
    expect(portal.locator("main")).to_contain_text(RO["thanks"])
    expect(portal.locator("html")).to_have_attribute("lang", "ro")
    screenshot(portal, "ro-pulse-thanks")
    portal.locator("textarea[name='comment']").fill("Răspundeți prea încet la mesaje.")
    portal.locator("button[name='score'][value='2']").click()
    expect(portal.locator("main")).to_contain_text(RO["thanks"])
    answer = PulseAnswer.objects.get()
    assert (answer.score, answer.contact_id, answer.source) == (2, ioana.pk, "email")
    assert answer.comment == "Răspundeți prea încet la mesaje."
    alert = Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET)
    assert alert.subject_id == answer.pk and alert.data["comment"] == answer.comment

    # 4. The provider sees it on the client's page: the face, the comment, the average.
    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto(f"/clients/{client.pk}/")
    sections_loaded(staff)
    card = staff.locator("#pulse")
    expect(card).to_contain_text("Not so good")
    expect(card).to_contain_text("Răspundeți prea încet la mesaje.")
    expect(card.locator("svg[role='img']")).to_have_attribute("aria-labelledby", "pulse-sum")
    expect(card.locator("#pulse-sum")).to_contain_text("2.0 of 5 from 1 answer")
    screenshot(staff, "en-client-pulse")
