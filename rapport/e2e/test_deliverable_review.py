"""A deliverable reviewed in a real browser (P06, P08, P13): the provider attaches a file and
delivers; the contact opens the link from the message, downloads the file and approves it in
Greek; the provider sees the alert and the timeline entry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Client, Contact
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import (
    NewContext,
    Screenshot,
    log_in,
    non_portal_links,
    portal_url_in,
)
from rapport.notifications.models import Notification
from rapport.projects.models import Deliverable, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4 five page layouts"
# What the Greek contact reads (rapport/locale/el/LC_MESSAGES/django.po).
EL = {
    "confirm_button": "Άνοιγμα της σελίδας των έργων μου",
    "section": "Παραδοτέα προς έλεγχο",
    "waiting": "Περιμένει τον έλεγχό σας",
    "approve": "Έγκριση",
    "approved": "Το εγκρίνατε στις",
}


def test_provider_delivers_client_downloads_and_approves(
    page: Page,
    new_context: NewContext,
    alice: Persona,
    acme: Client,
    carol: Contact,
    live_server: LiveServer,
    settings: Settings,
    tmp_path: Path,
    screenshot: Screenshot,
) -> None:
    settings.SITE_URL = live_server.url
    today = dt.date.today()
    project = project_create(
        client=acme,
        actor=alice.user,
        title="New website",
        start_date=today,
        due_date=today + dt.timedelta(days=60),
        status=Project.Status.ACTIVE,
    )
    milestone = milestone_create(
        project=project, actor=alice.user, title="Designs", due_date=today + dt.timedelta(days=9)
    )
    layouts = deliverable_create(
        milestone=milestone, actor=alice.user, title="Page layouts", spec="5 pages", format=".pdf"
    )
    upload = tmp_path / "layouts.pdf"
    upload.write_bytes(PDF)

    # The provider attaches the file and delivers it to carol (ticked by default).
    log_in(page, alice.user.email, PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Files and delivery").click()
    expect(page.locator("h1")).to_contain_text("Page layouts")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Attach").first.click()
    expect(page.locator("ul.messages li.success")).to_contain_text("File attached.")
    expect(page.get_by_role("link", name="layouts.pdf")).to_be_visible()
    expect(page.get_by_label("Carol Georgiou")).to_be_checked()
    page.get_by_role("button", name="Deliver", exact=True).click()
    expect(page.locator("ul.messages li.success")).to_contain_text("Delivered")
    expect(page.locator("h1 .badge")).to_have_text("Delivered")
    screenshot(page, "deliverable-delivered-en")

    # The message to carol, in Greek, leads into the portal.
    message = Notification.objects.get(kind="deliverable_delivered", contact=carol)
    assert message.language == "el" and "layouts.pdf" in message.body
    portal = new_context().new_page()
    portal.goto(portal_url_in(message.body, live_server.url))
    portal.get_by_role("button", name=EL["confirm_button"]).click()
    # The portal home shows what waits for review, after the updates.
    expect(portal).to_have_url(re.compile(r"/p/$"))
    section = portal.get_by_role("region", name=EL["section"])
    item = section.locator(f"#deliverable-{layouts.pk}")
    expect(item).to_contain_text(EL["waiting"])
    with portal.expect_download() as download_info:
        item.get_by_role("link", name="layouts.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "layouts.pdf"
    assert Path(download.path()).read_bytes() == PDF
    assert non_portal_links(portal) == []
    screenshot(portal, "portal-deliverable-to-review-el")
    item.get_by_role("button", name=EL["approve"], exact=True).click()
    expect(portal).to_have_url(re.compile(rf"/p/projects/{project.pk}/"))
    expect(portal.locator(f"#deliverable-{layouts.pk}")).to_contain_text(EL["approved"])
    layouts.refresh_from_db()
    assert layouts.status == Deliverable.Status.ACCEPTED and layouts.accepted_by == carol

    # The provider sees the alert, which leads to the project, and the timeline entry.
    page.goto("/alerts/")
    alert = page.locator("main").get_by_text("Carol Georgiou approved Page layouts (New website)")
    expect(alert).to_be_visible()
    page.goto(f"/clients/{acme.pk}/timeline/")
    expect(page.locator("main")).to_contain_text("Carol Georgiou approved deliverable Page layouts")
