"""Screenshots of the main pages in the four languages, kept by CI as artefacts
($ARTIFACTS_DIR, the language in each file name), and the README's tour, taken from the demo
data (`manage.py demo`); `scripts/readme_screenshots.sh` copies the tour to docs/screenshots/.

Each PNG is checked to be a real image of the page: the PNG signature, a header as wide as the
window, and more than a blank page's bytes.
"""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.care.tests.report_fixtures import report_history
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import NewContext, Screenshot, artifacts_dir, log_in, sections_loaded
from rapport.projects.models import Deliverable, Project

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH = 1280  # the window of new_context
LANGUAGES = ("en", "el", "ro", "id")
# A blank 1280-px page compresses to a few hundred bytes; a page with text is far more.
MIN_BYTES = 8_000


def assert_real_png(path: Path, min_height: int = 300) -> None:
    """``path`` is a PNG of a page in the 1280-px window, with something drawn on it. A full-page
    shot is wider than the window when the page scrolls sideways: that is the business of the
    layout tests, so here the width is only at least the window's."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name}: not a PNG"
    # The first chunk is IHDR: its length (13), its type, then width and height.
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    assert (length, kind) == (13, b"IHDR"), f"{path.name}: no PNG header"
    assert width >= WIDTH, f"{path.name}: {width} px wide, expected {WIDTH}"
    assert height >= min_height, f"{path.name}: only {height} px high"
    assert len(data) > MIN_BYTES, f"{path.name}: {len(data)} bytes, a blank page?"


def _in_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_screenshots_of_the_main_pages_in_four_languages(
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
    shots: list[Path] = []

    log_in(page, alice.user.email, PASSWORD)
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    portal = new_context().new_page()
    portal.goto(live_server.url + reverse("portal:open", args=[token]))
    expect(portal.locator("h1")).to_contain_text(carol.name)
    shots.append(screenshot(portal, "portal-confirm"))
    portal.locator("main form button[type=submit]").click()
    expect(portal.locator("main")).to_contain_text(project.title)

    for language in LANGUAGES:
        # The provider picks the language with the switcher's cookie; the portal speaks the
        # contact's language.
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        Contact.objects.filter(pk=carol.pk).update(language=language)

        page.goto(reverse("dashboard"))
        _in_language(page, language)
        expect(page.locator("main")).to_contain_text(milestone.title)  # due this week
        sections_loaded(page)
        shots.append(screenshot(page, f"{language}-01-dashboard"))

        page.goto(reverse("clients:list"))
        _in_language(page, language)
        expect(page.locator("main table")).to_contain_text(client.name)
        shots.append(screenshot(page, f"{language}-02-clients"))

        page.goto(reverse("clients:detail", args=[client.pk]))
        _in_language(page, language)
        expect(page.locator("article.contact")).to_contain_text(carol.name)
        sections_loaded(page)
        shots.append(screenshot(page, f"{language}-03-client"))

        page.goto(reverse("projects:detail", args=[project.pk]))
        _in_language(page, language)
        expect(page.locator("article.milestone")).to_contain_text(layouts.title)
        sections_loaded(page)
        shots.append(screenshot(page, f"{language}-04-project"))

        page.goto(reverse("accounts:settings"))
        _in_language(page, language)
        expect(page.locator("main")).to_contain_text(alice.workspace.name)
        shots.append(screenshot(page, f"{language}-05-settings"))

        portal.goto(reverse("portal:home"))
        _in_language(portal, language)
        expect(portal.locator("main")).to_contain_text(milestone.title)
        sections_loaded(portal)
        shots.append(screenshot(portal, f"{language}-06-portal-home"))

    assert len(shots) == 1 + 6 * len(LANGUAGES)
    for path in shots:
        assert_real_png(path)
    names = {path.name for path in shots}
    for language in LANGUAGES:
        assert f"{language}-04-project.png" in names


# --- The README's tour --------------------------------------------------------------------

TOUR_NOTE = "The page designs are ready for your review; the build starts on Monday."


def test_readme_tour_from_the_demo_data(
    new_context: NewContext, live_server: LiveServer, settings: Settings, tmp_path: Path
) -> None:
    """The first five minutes of the README, on the data `make run` starts with: sign in with
    the demo login, the dashboard, a client, a project, a progress update sent, and the portal
    as the client (Carol, in Greek) sees it, with that update."""
    # The demo keeps its password under BASE_DIR/var: this run's own, not the checkout's.
    settings.BASE_DIR = tmp_path
    settings.SITE_URL = live_server.url
    out = io.StringIO()
    call_command("demo", stdout=out)
    password = (tmp_path / "var" / "demo-password.txt").read_text().strip()
    assert f"demo@rapport.local / {password}" in out.getvalue()
    portal_url = re.search(r"Portal link:\s+(\S+)", out.getvalue())
    assert portal_url is not None, out.getvalue()

    directory = artifacts_dir() / "tour"
    directory.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(page: Page, name: str) -> None:
        # The window only (1280 x 800): what one sees first, and small enough for a README.
        path = directory / f"{name}.png"
        page.screenshot(path=str(path), animations="disabled")
        shots.append(path)

    page = new_context(viewport={"width": WIDTH, "height": 800}).new_page()
    page.goto(reverse("accounts:login"))
    form = page.locator("main form.form")
    form.get_by_label("Email").fill("demo@rapport.local")
    form.get_by_label("Password").fill(password)
    shot(page, "01-sign-in")
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("main")).to_contain_text("Page designs")  # due in four days
    sections_loaded(page)
    shot(page, "02-dashboard")

    acme = Client.objects.get(name="Acme Ltd")
    page.goto(reverse("clients:detail", args=[acme.pk]))
    expect(page.locator("article.contact")).to_contain_text("Καρολίνα Γεωργίου")
    sections_loaded(page)
    shot(page, "03-client")

    shop = Project.objects.get(title="New online shop")
    page.goto(reverse("projects:detail", args=[shop.pk]))
    expect(page.locator("article.milestone").first).to_be_visible()
    sections_loaded(page)
    shot(page, "04-project")

    page.goto(reverse("projects:update_compose", args=[shop.pk]))
    expect(page.locator('pre[lang="el"]')).to_contain_text("Page designs")  # Carol's message
    page.get_by_label("Your note").fill(TOUR_NOTE)
    shot(page, "05-send-update")
    page.get_by_role("button", name="Send update").click()
    expect(page).to_have_url(re.compile(rf"/projects/{shop.pk}/$"))

    portal = new_context(viewport={"width": WIDTH, "height": 800}).new_page()
    portal.goto(portal_url.group(1))
    portal.locator("main form button[type=submit]").click()
    expect(portal.locator("main")).to_contain_text(shop.title)
    sections_loaded(portal)
    _in_language(portal, "el")
    update = portal.locator("main").get_by_text(TOUR_NOTE)  # the update just sent
    expect(update).to_be_visible()
    update.scroll_into_view_if_needed()
    shot(portal, "06-portal")

    assert [p.name for p in shots] == [f"{n}.png" for n in TOUR]
    for path in shots:
        assert_real_png(path, min_height=800)


# The tour's pictures, in the README's order (scripts/readme_screenshots.sh copies them).
TOUR = ("01-sign-in", "02-dashboard", "03-client", "04-project", "05-send-update", "06-portal")


def test_screenshots_of_the_reports_page_in_four_languages(
    page: Page, screenshot: Screenshot, alice: Persona, acme: Client
) -> None:
    """The reports page (care/reports.html) with a year of figures, in each language."""
    report_history(acme, now=timezone.now())
    log_in(page, alice.user.email, PASSWORD)
    shots: list[Path] = []
    for language in LANGUAGES:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.url}]
        )
        page.goto(reverse("care:reports"))
        _in_language(page, language)
        # Nine drawings: the NPS line has no answers to draw, its table says so.
        expect(page.locator("main svg")).to_have_count(9)
        shots.append(screenshot(page, f"{language}-07-reports"))
    for path in shots:
        assert_real_png(path, min_height=1200)
    # On a phone the charts shrink with the card and the figures stay one tap away.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("care:reports"))
    phone = screenshot(page, "id-07-reports-phone").read_bytes()
    assert phone[:8] == PNG_SIGNATURE and len(phone) > MIN_BYTES
