"""Keeping in touch in a real browser with a real SMTP server (P30, P34).

A project is delivered; months later the tick drafts a check-in to its Greek contact. The
provider opens the keep-in-touch page, opens the draft, changes a word and sends it in one
click: it reaches Carol by SMTP in Greek, greeted by name. Then the provider drafts a message
to win back a past client from the list of the silent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from rapport.care.keepintouch.scanner import scan_check_ins_due
from rapport.care.models import CheckIn
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import Inbox, NewContext, Screenshot, log_in, reachable_now
from rapport.notifications.delivery import deliver_due
from rapport.projects.models import Project
from rapport.projects.services import project_update

pytestmark = pytest.mark.browser


def test_a_check_in_is_drafted_sent_and_a_past_client_won_back(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    alice: Persona,
    carol: Contact,
    website: Project,
    live_server: LiveServer,
) -> None:
    project_update(project=website, actor=alice.user, status=Project.Status.DELIVERED)
    assert website.delivered_at is not None
    # Four months on, the tick drafts the three-month check-in in Greek.
    assert scan_check_ins_due(website.delivered_at + dt.timedelta(days=120)) == 1
    draft = CheckIn.objects.get(state=CheckIn.State.READY)
    assert draft.language == "el"

    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto("/care/keep-in-touch/")
    expect(staff.locator("main")).to_contain_text(draft.subject)
    screenshot(staff, "en-keep-in-touch")
    staff.get_by_role("link", name=draft.subject).click()
    body = staff.locator("textarea[name='body']")
    expect(body).to_have_value(draft.body)
    body.fill(draft.body + "\n\nΜε εκτίμηση για τη συνεργασία μας.")
    screenshot(staff, "en-keep-in-touch-draft")
    staff.get_by_role("button", name="Send").click()
    expect(staff.locator("main")).to_contain_text("Sent or skipped lately")

    reachable_now(carol.email)
    # The delivery's thank-you (care.surveys) waited in the outbox too; the check-in follows it.
    assert deliver_due(worker="e2e") == 2
    [mail] = [m for m in inbox.wait_for(2) if "Με εκτίμηση" in m.text]
    assert mail.rcpt_tos == [carol.email]
    assert "Με εκτίμηση για τη συνεργασία μας." in mail.text
    assert "Carol Georgiou" in mail.text

    # A past client, silent for a long time, gets a draft from the win-back list.
    past = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Beta SA",
        status=Client.Status.PAST,
        language="ro",
    )
    contact_create(client=past, actor=alice.user, name="Bogdan", email="bogdan@beta.example")
    staff.goto("/care/win-back/")
    expect(staff.locator("main")).to_contain_text("Beta SA")
    screenshot(staff, "en-win-back")
    # Acme counts too (its only project is delivered), after Beta, silent since forever.
    rows = staff.locator("main li")
    expect(rows.first).to_contain_text("Beta SA")
    expect(rows.nth(1)).to_contain_text("Acme Ltd")
    rows.first.get_by_role("button", name="Draft a message").click()
    expect(staff.locator("input[name='subject']")).to_have_value(
        "A trecut ceva vreme: ce mai faceți?"
    )
