"""Staff login errors and the language switcher."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import log_in

pytestmark = pytest.mark.browser


def test_wrong_password_shows_an_error(page: Page, alice: Persona) -> None:
    page.goto("/accounts/login/")
    form = page.locator("main form.form")
    form.get_by_label("Email").fill(alice.user.email)
    form.get_by_label("Password").fill(PASSWORD + "-wrong")
    form.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct email and password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(form.get_by_label("Password")).to_have_value("")
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))


# Romanian as rapport/locale/ro/LC_MESSAGES/django.po translates it.
RO = {"hello": "Bună ziua, {name}", "language": "Limbă", "clients": "Clienți"}


def test_language_switcher_turns_the_staff_ui_romanian(page: Page, alice: Persona) -> None:
    log_in(page, alice.user.email, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(f"Hello, {alice.user.name}")

    page.locator("aside").get_by_label("Language").select_option("ro")

    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_have_text(RO["hello"].format(name=alice.user.name))
    expect(page.locator("aside").get_by_label(RO["language"])).to_have_value("ro")
    # The choice sticks: the next page is Romanian too, and it is the provider's preference.
    page.get_by_role("navigation").get_by_role("link", name=RO["clients"]).click()
    expect(page).to_have_url(re.compile(r"/clients/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator("h1")).to_have_text(RO["clients"])
    alice.user.refresh_from_db()
    assert alice.user.language == "ro"
