"""The first day of a Romanian freelancer: sign-up in Romanian with the browser in Bucharest,
currency and time zone suggested, the dashboard's checklist, a client with its first contact in
one form, and the checklist ticking itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.accounts.models import Workspace
from rapport.clients.models import Client
from rapport.conftest import PASSWORD
from rapport.e2e.conftest import Inbox, NewContext
from rapport.notifications.delivery import deliver_due

pytestmark = pytest.mark.browser

EMAIL = "andreea@studio.example"
CLIENT = "Brutăria Ștefănescu"
CONTACT = ("Ștefan Țurcanu", "stefan@brutaria.example")


def main_form(page: Page) -> Locator:
    return page.locator("main form.form").first


def select(form: Locator, name: str) -> Locator:
    """A select by its field name: the journey must not depend on the translated labels."""
    return form.locator(f"select[name='{name}']")


def step(page: Page, key: str) -> Locator:
    return page.locator(f"section.checklist li[data-step='{key}']")


def test_browser_zone_fills_and_language_suggests_only_untouched_fields(
    new_context: NewContext,
) -> None:
    # A Romanian speaker whose browser is in Makassar: the browser knows where they are.
    page = new_context(locale="ro-RO", timezone_id="Asia/Makassar").new_page()
    page.goto("/accounts/signup/")
    form = main_form(page)
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(select(form, "language")).to_have_value("ro")
    expect(select(form, "currency")).to_have_value("RON")
    expect(select(form, "timezone")).to_have_value("Asia/Makassar")
    # Greek suggests the euro; the zone the browser gave stays.
    select(form, "language").select_option("el")
    expect(select(form, "currency")).to_have_value("EUR")
    expect(select(form, "timezone")).to_have_value("Asia/Makassar")
    # A currency the person chose is never overridden.
    select(form, "currency").select_option("USD")
    select(form, "language").select_option("id")
    expect(select(form, "currency")).to_have_value("USD")
    # Old names are not offered at all.
    expect(select(form, "timezone").locator("option[value='Asia/Calcutta']")).to_have_count(0)
    expect(
        select(form, "timezone").locator("optgroup").first.locator("option").first
    ).to_have_attribute("value", "Europe/Athens")


def sign_up_in_romanian(page: Page, inbox: Inbox, live_server: LiveServer) -> None:
    page.goto("/accounts/signup/")
    form = main_form(page)
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    # Suggested by the language and the browser, not typed.
    expect(select(form, "language")).to_have_value("ro")
    expect(select(form, "currency")).to_have_value("RON")
    expect(select(form, "timezone")).to_have_value("Europe/Bucharest")
    form.locator("input[name='name']").fill("Andreea Ionescu")
    form.locator("input[name='email']").fill(EMAIL)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("input[name='workspace_name']").fill("Studio Ionescu")
    form.locator("button[type='submit']").click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Creează|Create"))
    assert deliver_due(worker="e2e") == 1
    [received] = inbox.wait_for(1)
    [link] = set(
        re.findall(
            re.escape(live_server.url) + r"/accounts/signup/finish/\S+?/\S+?/", received.text
        )
    )
    page.goto(link)
    main_form(page).locator("input[name='password']").fill(PASSWORD)
    main_form(page).locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_romanian_freelancers_first_day(
    new_context: NewContext, inbox: Inbox, live_server: LiveServer
) -> None:
    page = new_context(locale="ro-RO", timezone_id="Europe/Bucharest").new_page()
    sign_up_in_romanian(page, inbox, live_server)
    workspace = Workspace.objects.get(memberships__user__email=EMAIL)
    assert (workspace.default_currency, workspace.timezone) == ("RON", "Europe/Bucharest")
    assert workspace.default_language == "ro"

    # The checklist: nothing done yet, each step a link to where it is done.
    expect(page.locator("#checklist-h")).to_be_visible()
    for key in ("business", "client", "project", "portal", "payment"):
        expect(step(page, key)).to_have_attribute("data-done", "0")
    step(page, "client").locator("a").click()
    expect(page).to_have_url(re.compile(r"/clients/new/$"))

    # One form: the client, its first contact and its billing details.
    form = main_form(page)
    expect(select(form, "currency")).to_have_value("RON")
    expect(select(form, "timezone")).to_have_value("Europe/Bucharest")
    form.locator("input[name='name']").fill(CLIENT)
    form.locator("input[name='contact-name']").fill(CONTACT[0])
    form.locator("input[name='contact-email']").fill(CONTACT[1])
    select(form, "billing-country").select_option("RO")
    form.locator("input[name='billing-legal_name']").fill("Brutăria Ștefănescu SRL")
    form.locator("input[name='billing-tax_id']").fill("RO18547291")  # one digit wrong
    form.locator("button[type='submit']").click()
    # Refused on its field; nothing written; what was typed is still there.
    expect(page.locator("#id_billing-tax_id ~ .errorlist, .has-error .errorlist")).to_have_count(1)
    assert not Client.objects.filter(name=CLIENT).exists()
    form = main_form(page)
    expect(form.locator("input[name='contact-name']")).to_have_value(CONTACT[0])
    form.locator("input[name='billing-tax_id']").fill("RO18547290")
    form.locator("button[type='submit']").click()
    expect(page.locator("h1")).to_contain_text(CLIENT)
    expect(page.locator("main")).to_contain_text(CONTACT[0])
    client = Client.objects.get(name=CLIENT)
    assert client.contacts.get().email == CONTACT[1]
    assert (client.tax_id, client.currency) == ("18547290", "RON")

    # The checklist ticked the client, and only that.
    page.goto("/dashboard/")
    expect(step(page, "client")).to_have_attribute("data-done", "1")
    for key in ("business", "project", "portal", "payment"):
        expect(step(page, key)).to_have_attribute("data-done", "0")


def test_time_zone_search_narrows_the_list(new_context: NewContext) -> None:
    page = new_context(locale="en-GB", timezone_id="Europe/Athens").new_page()
    page.goto("/accounts/signup/")
    zone = select(main_form(page), "timezone")
    search = page.locator("input.zone-search")
    search.fill("new york")
    expect(zone).to_have_value("America/New_York")
    # Only the matching zone is left in the list (in the common group and among all zones); an
    # empty search shows them all again.
    left = zone.locator("option:not([hidden])")
    assert set(left.evaluate_all("os => os.map(o => o.value)")) == {"America/New_York"}
    search.fill("kolkata")
    expect(zone).to_have_value("Asia/Kolkata")
    search.fill("")
    assert zone.locator("option:not([hidden])").count() > 300
    # The chosen zone is the one sent: the browser's zone no longer replaces it.
    expect(zone).to_have_value("Asia/Kolkata")
