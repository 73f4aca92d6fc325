"""A brand-new Romanian freelancer, from sign-up to the first update delivered and a deliverable
approved in the portal, in a real browser with a real SMTP server.

Every click, page load and field the freelancer needs is counted. The counts are written in the
README ("The first day in figures"); the test fails if the journey grows, so making a step
cheaper means lowering the numbers here and there, and making one dearer is a decision to take
knowingly. Selectors use field names and form actions, never translated labels: the whole journey
runs in Romanian.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Contact
from rapport.conftest import PASSWORD
from rapport.e2e.conftest import Inbox, NewContext, portal_url_in, reachable_now
from rapport.notifications.delivery import deliver_due
from rapport.projects.models import Deliverable, Milestone, ProjectUpdate

pytestmark = pytest.mark.browser

# What the journey costs the freelancer today (README, "The first day in figures").
MAX_CLICKS = 19
MAX_PAGE_LOADS = 16
MAX_FIELDS = 32

EMAIL = "andreea@studio.example"
CONTACT_EMAIL = "stefan@brutaria.example"
PDF = b"%PDF-1.4 logo, trei variante"


@dataclass
class Journey:
    """The freelancer's browser, counting what they do."""

    page: Page
    clicks: int = 0
    loads: int = 0
    fields: int = 0

    def __post_init__(self) -> None:
        def navigated(frame: object) -> None:
            if frame == self.page.main_frame:
                self.loads += 1

        self.page.on("framenavigated", navigated)

    def goto(self, url: str) -> None:
        """A page opened from outside the app (a typed address or a link in an email)."""
        self.page.goto(url)

    def click(self, target: Locator) -> None:
        self.clicks += 1
        target.click()

    def fill(self, target: Locator, value: str) -> None:
        self.fields += 1
        target.fill(value)

    def choose(self, target: Locator, value: str) -> None:
        self.fields += 1
        target.select_option(value)

    def attach(self, target: Locator, path: Path) -> None:
        self.fields += 1
        target.set_input_files(str(path))


def main_form(page: Page) -> Locator:
    return page.locator("main form.form").first


def test_romanian_freelancer_from_sign_up_to_approved_deliverable(
    new_context: NewContext,
    inbox: Inbox,
    live_server: LiveServer,
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.SITE_URL = live_server.url
    today = dt.date.today()
    you = Journey(new_context(locale="ro-RO", timezone_id="Europe/Bucharest").new_page())
    page = you.page

    # 1. Sign up: language, currency and time zone come from the browser, not typed.
    you.goto("/accounts/signup/")
    form = main_form(page)
    expect(form.locator("select[name='currency']")).to_have_value("RON")
    you.fill(form.locator("input[name='name']"), "Andreea Ionescu")
    you.fill(form.locator("input[name='email']"), EMAIL)
    you.fill(form.locator("input[name='password']"), PASSWORD)
    you.fill(form.locator("input[name='workspace_name']"), "Studio Ionescu")
    you.click(form.locator("button[type='submit']"))
    expect(page.locator("main")).to_contain_text(EMAIL)
    assert deliver_due(worker="e2e") == 1
    [welcome] = inbox.wait_for(1)
    [finish] = set(re.findall(r"http://\S+/accounts/signup/finish/\S+?/\S+?/", welcome.text))
    you.goto(finish)  # the link in the email
    you.fill(main_form(page).locator("input[name='password']"), PASSWORD)
    you.click(main_form(page).locator("button[type='submit']"))
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ro")

    # 2. The checklist leads to the business details; a Romanian invoice needs CUI and J-number.
    you.click(page.locator("section.checklist li[data-step='business'] a"))
    business = page.locator("form:has(input[name='biz-legal_name'])")
    you.fill(business.locator("input[name='biz-legal_name']"), "Andreea Ionescu PFA")
    you.fill(business.locator("input[name='biz-street']"), "Strada Lipscani 12")
    you.fill(business.locator("input[name='biz-city']"), "București")
    you.choose(business.locator("select[name='biz-country']"), "RO")
    you.fill(business.locator("input[name='biz-tax_id']"), "RO18547290")
    you.fill(business.locator("input[name='biz-trade_register']"), "F40/123/2024")
    you.click(business.locator("button[type='submit']"))
    expect(page.locator("ul.messages li.success")).to_be_visible()

    # 3. The client, its first contact and its billing details in one form.
    you.click(page.locator("nav a[href$='/dashboard/']").first)
    you.click(page.locator("section.checklist li[data-step='client'] a"))
    form = main_form(page)
    you.fill(form.locator("input[name='name']"), "Brutăria Ștefănescu")
    you.fill(form.locator("input[name='contact-name']"), "Ștefan Țurcanu")
    you.fill(form.locator("input[name='contact-email']"), CONTACT_EMAIL)
    you.choose(form.locator("select[name='billing-country']"), "RO")
    you.fill(form.locator("input[name='billing-legal_name']"), "Brutăria Ștefănescu SRL")
    you.fill(form.locator("input[name='billing-tax_id']"), "RO18547290")
    you.click(form.locator("button[type='submit']"))
    expect(page.locator("h1")).to_contain_text("Brutăria Ștefănescu")
    contact = Contact.objects.get(email=CONTACT_EMAIL)
    assert contact.effective_language == "ro"

    # 4. The project, from the client's page; it starts today, so the client becomes active.
    you.click(page.locator("main a[href*='/projects/new/?client=']").first)
    form = main_form(page)
    you.fill(form.locator("input[name='title']"), "Identitate vizuală")
    you.choose(form.locator("select[name='status']"), "active")
    you.fill(form.locator("input[name='start_date']"), today.isoformat())
    you.fill(form.locator("input[name='due_date']"), (today + dt.timedelta(days=60)).isoformat())
    you.click(form.locator("button[type='submit']"))
    expect(page.locator("h1")).to_contain_text("Identitate vizuală")

    # 5. Three milestones and a deliverable, added in place (htmx: no page loads).
    for days, title in ((14, "Logo"), (30, "Paletă și fonturi"), (55, "Manual de brand")):
        add = page.locator("#milestones form.form").last
        you.fill(add.locator("input[name='ms-title']"), title)
        you.fill(
            add.locator("input[name='ms-due_date']"), (today + dt.timedelta(days=days)).isoformat()
        )
        with page.expect_response(re.compile(r"/milestones/new/$")):
            you.click(add.locator("button[type='submit']"))
        expect(page.locator("article.milestone", has_text=title)).to_be_visible()
    logo = page.locator("article.milestone", has_text="Logo")
    you.click(logo.locator("a[href$='/deliverables/new/']"))
    add = logo.locator("form[action$='/deliverables/new/']")
    expect(add).to_be_visible()
    you.fill(add.locator("input[name='dl-title']"), "Logo")
    you.fill(add.locator("textarea[name='dl-spec']"), "Trei variante, una aleasă și finisată")
    you.fill(add.locator("input[name='dl-format']"), ".pdf și .svg")
    with page.expect_response(re.compile(r"/deliverables/new/$")):
        you.click(add.locator("button[type='submit']"))
    expect(page.locator("article.milestone", has_text="Logo")).to_contain_text("Trei variante")
    assert Milestone.objects.filter(project__title="Identitate vizuală").count() == 3

    # 6. The first update, in Romanian for Ștefan; the deliverer sends it.
    you.click(page.locator("main a[href$='/update/']").first)
    you.fill(page.locator("textarea[name='body']"), "Am pornit: primele schițe de logo vineri.")
    you.click(page.locator("main form button.primary[type='submit']"))
    expect(page.locator("h1")).to_contain_text("Identitate vizuală")
    assert ProjectUpdate.objects.filter(project__title="Identitate vizuală").count() == 1
    # The message waits for Ștefan's hours (08:00-20:00 in Bucharest by default); the journey
    # must not depend on the hour CI runs at.
    reachable_now(CONTACT_EMAIL)
    assert deliver_due(worker="e2e") >= 1
    update_mail = inbox.wait_for(2)[1]
    assert update_mail.rcpt_tos == [CONTACT_EMAIL]
    assert "Am pornit: primele schițe de logo vineri." in update_mail.text

    # 7. The logo is delivered: a file attached, the client told.
    deliverable = Deliverable.objects.get(title="Logo")
    you.click(page.locator(f"a[href$='/deliverables/{deliverable.pk}/']").first)
    upload = tmp_path / "logo.pdf"
    upload.write_bytes(PDF)
    files = page.locator("form[action$='/files/']")
    you.attach(files.locator("input[type='file']"), upload)
    you.click(files.locator("button[type='submit']"))
    expect(page.locator("main a", has_text="logo.pdf")).to_be_visible()
    you.click(page.locator("form[action$='/deliver/'] button[type='submit']"))
    expect(page.locator("ul.messages li.success")).to_be_visible()
    assert deliver_due(worker="e2e") == 1
    delivered_mail = inbox.wait_for(3)[2]

    # 8. Ștefan opens the link in his email, in Romanian, and approves the logo.
    client = new_context(locale="ro-RO").new_page()
    client.goto(portal_url_in(delivered_mail.text, live_server.url))
    client.locator("main form button[type='submit']").click()
    item = client.locator(f"#deliverable-{deliverable.pk}")
    expect(item).to_contain_text("logo.pdf")
    item.locator("form[action$='/approve/'] button[type='submit']").click()
    expect(client.locator(f"#deliverable-{deliverable.pk}")).to_be_visible()
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.ACCEPTED

    figures = f"clicks={you.clicks} page loads={you.loads} fields={you.fields}"
    print(f"Romanian freelancer's first day: {figures}")
    assert you.clicks <= MAX_CLICKS, figures
    assert you.loads <= MAX_PAGE_LOADS, figures
    assert you.fields <= MAX_FIELDS, figures
