"""Screenshots of the main pages, kept by CI as artefacts ($ARTIFACTS_DIR)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import NewContext, Screenshot, log_in, sections_loaded
from rapport.projects.models import Deliverable

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_screenshots_of_the_main_pages(
    page: Page,
    new_context: NewContext,
    screenshot: Screenshot,
    live_server: LiveServer,
    alice: Persona,
    carol: Contact,
    layouts: Deliverable,
) -> None:
    milestone = layouts.milestone
    project = milestone.project
    client = project.client
    shots = []

    log_in(page, alice.user.email, PASSWORD)
    expect(page.locator("main")).to_contain_text(milestone.title)  # due this week
    sections_loaded(page)
    shots.append(screenshot(page, "01-dashboard"))

    page.goto(reverse("clients:list"))
    expect(page.locator("main table")).to_contain_text(client.name)
    shots.append(screenshot(page, "02-clients"))

    page.goto(reverse("clients:detail", args=[client.pk]))
    expect(page.locator("article.contact")).to_contain_text(carol.name)
    sections_loaded(page)
    shots.append(screenshot(page, "03-client"))

    page.goto(reverse("projects:detail", args=[project.pk]))
    expect(page.locator("article.milestone")).to_contain_text(layouts.title)
    sections_loaded(page)
    shots.append(screenshot(page, "04-project"))

    page.goto(reverse("accounts:settings"))
    expect(page.locator("main")).to_contain_text(alice.workspace.name)
    shots.append(screenshot(page, "05-settings"))

    _link, token = portal_link_create(contact=carol, actor=alice.user)
    portal = new_context().new_page()
    portal.goto(live_server.url + reverse("portal:open", args=[token]))
    expect(portal.locator("h1")).to_contain_text(carol.name)
    shots.append(screenshot(portal, "06-portal-confirm"))

    portal.locator("main form button[type=submit]").click()
    expect(portal.locator("main")).to_contain_text(project.title)
    expect(portal.locator("main")).to_contain_text(milestone.title)
    sections_loaded(portal)
    shots.append(screenshot(portal, "07-portal-home"))

    for path in shots:
        assert path.read_bytes()[:8] == PNG_SIGNATURE, path
