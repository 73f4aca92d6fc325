"""Plain words in a real browser (P26): while the provider writes a progress update to a
Greek client, the jargon in the note is listed with a plain-words suggestion in Greek, and
the update still goes out as written, to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Client, Contact
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import Inbox, log_in, reachable_now
from rapport.notifications.delivery import deliver_due
from rapport.projects.models import Project
from rapport.projects.services import milestone_create, project_create

pytestmark = pytest.mark.browser

NOTE = "Το staging είναι έτοιμο, κάνουμε deploy την Παρασκευή."


def test_update_with_jargon_shows_suggestions_and_still_sends(
    page: Page,
    inbox: Inbox,
    alice: Persona,
    acme: Client,
    carol: Contact,
    live_server: LiveServer,
    settings: Settings,
) -> None:
    settings.SITE_URL = live_server.url
    today = dt.date.today()
    project = project_create(
        client=acme,
        actor=alice.user,
        title="Νέο site",
        start_date=today,
        due_date=today + dt.timedelta(days=90),
        status=Project.Status.ACTIVE,
    )
    milestone_create(
        project=project, actor=alice.user, title="Σχέδια", due_date=today + dt.timedelta(days=20)
    )

    log_in(page, alice.user.email, PASSWORD)
    page.goto(f"/projects/{project.pk}/update/")
    panel = page.locator(".plain-words")
    expect(panel.locator("mark")).to_have_count(0)
    # Typed key by key: the panel asks again once the typing pauses.
    page.get_by_label("Your note").press_sequentially(NOTE)
    # carol reads Greek: the suggestions come from the Greek list.
    expect(panel.locator("mark")).to_have_text(["staging", "deploy"])
    expect(panel).to_contain_text("η δοκιμαστική έκδοση του site")
    expect(panel).to_contain_text("A suggestion only")

    # The suggestion does not stand in the way: the update goes out as written.
    page.get_by_role("button", name="Send update").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    reachable_now(carol.email)
    assert deliver_due(worker="e2e") == 1
    [mail] = inbox.wait_for(1)
    assert mail.rcpt_tos == [carol.email]
    assert NOTE in mail.text
