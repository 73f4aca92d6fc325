"""The main journey: a provider signs up, sets up a Greek client with a project, and the
client's contact follows the work in the portal through the emailed magic link."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.conftest import PASSWORD
from rapport.e2e.conftest import (
    Inbox,
    NewContext,
    non_portal_links,
    portal_url_in,
    reachable_now,
    staff_links,
)
from rapport.notifications.delivery import deliver_due

pytestmark = pytest.mark.browser

PROVIDER = {
    "name": "Alexandra Ionescu",
    "email": "alexandra@studio.example",
    "workspace": "Ionescu Studio",
}
CLIENT_NAME = "Φούρνος Παπαδόπουλος"
CONTACT_NAME = "Ελένη Παπαδοπούλου"
CONTACT_EMAIL = "eleni@fournos.example"
PROJECT_TITLE = "Νέα ιστοσελίδα"
MILESTONES = ("Page designs", "Online shop")
# What a Greek contact reads, as rapport/locale/el/LC_MESSAGES/django.po translates it.
EL = {
    "email_subject": "Η σελίδα των έργων σας – {ws}",
    "email_greeting": "Γεια σας, {name},",
    "email_valid_for": "Ο σύνδεσμος λειτουργεί μία φορά και ισχύει για {hours} ώρες.",
    "email_thanks": "Σας ευχαριστούμε,",
    "hello": "Γεια σας, {name}",
    "confirm_title": "Ανοίξτε τη σελίδα των έργων σας",
    "confirm_shares": "Εδώ, {ws} μοιράζεται μαζί σας την πρόοδο των έργων σας.",
    "confirm_button": "Άνοιγμα της σελίδας των έργων μου",
    "next_dates": "Επόμενες ημερομηνίες",
    "progress_label": "Ολοκληρωμένα ορόσημα: {done} από {total} · συνολικά {pct}",
}
DELIVERABLE = {
    "title": "Page layouts",
    "spec": "5 page layouts: home, catalogue, product, cart, contact",
    "format": ".fig and .pdf",
}


def iso(day: date) -> str:
    return day.isoformat()


def greek_date(day: date) -> str:
    """``day`` as the portal shows it to a Greek contact (Django's el DATE_FORMAT)."""
    with translation.override("el"):
        return date_format(day, "DATE_FORMAT")


def main_form(page: Page) -> Locator:
    """The page's own form (not the language switcher, which also has a "Language" label)."""
    return page.locator("main form.form").first


def success(page: Page) -> Locator:
    return page.locator("ul.messages li.success")


def milestone_card(page: Page, title: str) -> Locator:
    return page.locator("article.milestone").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def sign_up(page: Page, inbox: Inbox, live_server: LiveServer) -> None:
    page.goto("/accounts/signup/")
    form = main_form(page)
    form.get_by_label("Your name").fill(PROVIDER["name"])
    form.get_by_label("Email").fill(PROVIDER["email"])
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_label("Workspace name").fill(PROVIDER["workspace"])
    form.get_by_label("Language").select_option("en")
    form.get_by_label("Time zone", exact=True).select_option("Europe/Athens")
    form.get_by_role("button", name="Create account").click()
    # The same answer for any address; the link to finish comes by email, over SMTP.
    expect(page.locator("h1")).to_have_text("Check your email")
    assert deliver_due(worker="e2e") == 1
    [received] = inbox.wait_for(1)
    assert received.rcpt_tos == [PROVIDER["email"]]
    found = re.findall(
        re.escape(live_server.url) + r"/accounts/signup/finish/\S+?/\S+?/", received.text
    )
    assert len(set(found)) == 1, received.text
    page.goto(found[0])
    form = main_form(page)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Finish sign-up").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_have_text(f"Hello, {PROVIDER['name']}")
    expect(page.locator("aside .brand")).to_contain_text(PROVIDER["workspace"])


def create_client(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(page).to_have_url(re.compile(r"/clients/$"))
    page.get_by_role("link", name="New client").click()
    form = main_form(page)
    form.get_by_label("Name", exact=True).fill(CLIENT_NAME)
    form.get_by_label("Status").select_option("active")
    form.get_by_label("Language", exact=True).select_option("el")
    form.get_by_label("Time zone", exact=True).select_option("Europe/Athens")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text(CLIENT_NAME)
    expect(success(page)).to_have_text("Client created.")
    expect(page.locator("h1 .badge")).to_have_text("Active")


def add_contact(page: Page) -> None:
    page.get_by_role("link", name="Add contact").click()
    form = main_form(page)
    form.get_by_label("Name", exact=True).fill(CONTACT_NAME)
    form.get_by_label("Role").fill("Ιδιοκτήτρια")
    form.get_by_label("Email").fill(CONTACT_EMAIL)
    form.get_by_label("Language", exact=True).select_option("el")
    form.get_by_role("button", name="Save").click()
    expect(success(page)).to_have_text("Contact added.")
    contact = page.locator("article.contact")
    expect(contact.get_by_role("heading", name=CONTACT_NAME)).to_be_visible()
    expect(contact.get_by_role("link", name=CONTACT_EMAIL)).to_be_visible()
    expect(contact).to_contain_text("Ελληνικά")


def add_important_date(page: Page) -> None:
    """The card's link brings its form into the card (htmx): an error comes back in the card,
    without a reload; the saved date reloads the page with it."""
    page.evaluate("window.__e2eNoReload = true")
    contact = page.locator("article.contact").filter(has_text=CONTACT_NAME)
    contact.get_by_role("link", name="Add an important date").click()
    form = contact.locator("form[action$='/dates/']")
    expect(form.get_by_label("Kind")).to_be_focused()
    form.get_by_label("Kind").select_option("name_day")
    form.get_by_label("Day").fill("30")
    form.get_by_label("Month").fill("2")
    form.get_by_role("button", name="Save date").click()
    expect(form.locator(".errorlist")).to_have_text("This month has no day 30.")
    assert page.evaluate("window.__e2eNoReload") is True, "the error reloaded the page"
    form.get_by_label("Day").fill("21")
    form.get_by_label("Month").fill("5")
    form.get_by_role("button", name="Save date").click()
    expect(success(page)).to_have_text("Date saved.")
    contact = page.locator("article.contact").filter(has_text=CONTACT_NAME)
    expect(contact.locator("dl")).to_contain_text("Name day")
    expect(contact.locator("dl")).to_contain_text("21/5")


def create_project(page: Page, start: date, due: date) -> None:
    page.get_by_role("link", name="New project").click()
    form = main_form(page)
    # The client page's link preselects the client.
    expect(form.get_by_label("Client", exact=True)).to_have_value(re.compile(r"^\d+$"))
    form.get_by_label("Title").fill(PROJECT_TITLE)
    form.get_by_label("Goal").fill("Διπλάσιες online παραγγελίες")
    form.get_by_label("Status").select_option("active")
    form.get_by_label("Start date").fill(iso(start))
    form.get_by_label("Due date").fill(iso(due))
    form.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text(PROJECT_TITLE)
    expect(success(page)).to_have_text("Project created. Now add its milestones.")


def add_milestone(page: Page, title: str, due: date) -> None:
    form = page.locator("form[action$='/milestones/new/']")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Due date").fill(iso(due))
    form.get_by_role("button", name="Add milestone").click()
    # Added in place (htmx): the milestones section says so, the rest of the page stays.
    expect(page.locator("#milestones ul.messages li.success")).to_have_text(
        f"Milestone “{title}” added."
    )
    card = milestone_card(page, title)
    expect(card.locator("time")).to_have_attribute("datetime", iso(due))


def add_deliverable(page: Page, milestone: str) -> None:
    card = milestone_card(page, milestone)
    card.get_by_role("link", name="Add a deliverable").click()
    form = card.locator("form[action$='/deliverables/new/']")
    form.get_by_label("Title").fill(DELIVERABLE["title"])
    form.get_by_label("Specification").fill(DELIVERABLE["spec"])
    form.get_by_label("Format").fill(DELIVERABLE["format"])
    form.get_by_role("button", name="Add deliverable").click()
    # The milestone's card comes back in place (htmx) with the deliverable in it.
    card = milestone_card(page, milestone)
    expect(card.get_by_text(DELIVERABLE["title"], exact=True)).to_be_visible()
    expect(card.locator(".tag")).to_have_text(DELIVERABLE["format"])
    expect(card).to_contain_text(DELIVERABLE["spec"])


def update_progress(page: Page, milestone: str, value: int) -> None:
    """htmx swaps only the milestone's card: the page (and this window marker) survives."""
    page.evaluate("window.__e2eNoReload = true")
    card = milestone_card(page, milestone)
    card.get_by_label("Progress (%)").fill(str(value))
    with page.expect_response(re.compile(r"/milestones/\d+/progress/$")) as response:
        card.get_by_role("button", name="Update").click()
    assert response.value.ok
    card = milestone_card(page, milestone)
    expect(card.locator("progress")).to_have_attribute("value", str(value))
    expect(card.get_by_label("Progress (%)")).to_have_value(str(value))
    assert page.evaluate("window.__e2eNoReload") is True, "the progress update reloaded the page"


def test_provider_sets_up_a_client_and_the_contact_follows_in_the_portal(
    page: Page, new_context: NewContext, inbox: Inbox, live_server: LiveServer
) -> None:
    today = date.today()
    start, due = today - timedelta(days=5), today + timedelta(days=60)
    milestone_dues = (today + timedelta(days=7), today + timedelta(days=30))

    # --- The provider, in the staff UI -------------------------------------------------------
    sign_up(page, inbox, live_server)
    create_client(page)
    add_contact(page)
    add_important_date(page)
    create_project(page, start, due)
    for title, milestone_due in zip(MILESTONES, milestone_dues, strict=True):
        add_milestone(page, title, milestone_due)
    add_deliverable(page, MILESTONES[0])
    update_progress(page, MILESTONES[0], 40)

    page.get_by_role("link", name=CLIENT_NAME).click()
    contact = page.locator("article.contact").filter(has_text=CONTACT_NAME)
    contact.get_by_role("button", name="Send portal link").click()
    expect(success(page)).to_have_text(f"Portal link sent to {CONTACT_EMAIL}.")

    # --- The email, received by a real SMTP server ---------------------------------------------
    # An outbox row like every message, sent by the deliverer (manage.py deliver).
    reachable_now(CONTACT_EMAIL)
    assert deliver_due(worker="e2e") == 1
    received = inbox.wait_for(2)[-1]
    assert mail.outbox == [], "the email went to the locmem backend, not over SMTP"
    assert received.rcpt_tos == [CONTACT_EMAIL]
    assert received.message["To"] == CONTACT_EMAIL
    assert received.subject == EL["email_subject"].format(ws=PROVIDER["workspace"])
    hours = settings.PORTAL_LINK_MAX_AGE_HOURS
    for body in (received.text, received.html):
        assert EL["email_greeting"].format(name=CONTACT_NAME) in body
        assert EL["email_valid_for"].format(hours=hours) in body
        assert EL["email_thanks"] in body
    assert received.text.startswith(EL["email_greeting"].format(name=CONTACT_NAME))
    url = portal_url_in(received.text, live_server.url)
    assert f'href="{url}"' in received.html

    # --- The contact, in their own browser -----------------------------------------------------
    portal = new_context().new_page()
    portal.goto(url)
    expect(portal.locator("html")).to_have_attribute("lang", "el")
    expect(portal).to_have_title(re.compile("^" + re.escape(EL["confirm_title"])))
    expect(portal.locator("h1")).to_have_text(EL["hello"].format(name=CONTACT_NAME))
    expect(portal.locator("main")).to_contain_text(
        EL["confirm_shares"].format(ws=PROVIDER["workspace"])
    )
    with portal.expect_request(lambda r: r.method == "POST" and "/p/o/" in r.url):
        portal.get_by_role("button", name=EL["confirm_button"]).click()

    expect(portal).to_have_url(f"{live_server.url}/p/")
    expect(portal.locator("html")).to_have_attribute("lang", "el")
    expect(portal.locator("h1")).to_have_text(EL["hello"].format(name=CONTACT_NAME))
    project = portal.locator("section").filter(
        has=portal.get_by_role("heading", name=PROJECT_TITLE)
    )
    expect(project.get_by_role("link", name=PROJECT_TITLE)).to_be_visible()
    expect(project.locator(".progress-label")).to_have_text(
        EL["progress_label"].format(done=0, total=2, pct="20%")
    )
    rows = project.locator("ul.list > li")
    expect(rows).to_have_count(2)
    for row, title, progress in zip(rows.all(), MILESTONES, ("40%", "0%"), strict=True):
        expect(row).to_contain_text(title)
        expect(row.locator("> span.small:not(.muted)")).to_have_text(progress)

    next_dates = portal.get_by_role("region", name=EL["next_dates"])
    dates = next_dates.locator("li")
    expect(dates).to_have_count(2)
    for row, title, milestone_due, progress in zip(
        dates.all(), MILESTONES, milestone_dues, ("40%", "0%"), strict=True
    ):
        expect(row).to_contain_text(title)
        expect(row).to_contain_text(PROJECT_TITLE)
        expect(row.locator("time")).to_have_attribute("datetime", iso(milestone_due))
        expect(row.locator("time")).to_have_text(greek_date(milestone_due))
        expect(row.locator("> span.small")).to_have_text(progress)

    assert staff_links(portal) == []
    assert non_portal_links(portal) == []

    # The project page shows the deliverable as agreed: spec and format.
    project.get_by_role("link", name=PROJECT_TITLE).click()
    expect(portal.locator("h1")).to_contain_text(PROJECT_TITLE)
    deliverable = portal.locator("li").filter(has_text=DELIVERABLE["title"])
    expect(deliverable.locator(".tag")).to_have_text(DELIVERABLE["format"])
    expect(deliverable).to_contain_text(DELIVERABLE["spec"])
    assert staff_links(portal) == []
    assert non_portal_links(portal) == []

    # The link works once: opened again, it offers to email a new one.
    response = portal.goto(url)
    assert response is not None and response.status == 404
    expect(portal.locator("main form input[type=email]")).to_be_visible()
