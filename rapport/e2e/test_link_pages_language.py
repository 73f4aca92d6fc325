"""A Romanian contact opens a link that was already used, in a browser set to English: the
page, the form asking for a new link and its answer stay in Romanian, and the new link arrives
(P29, docs/client-language.md)."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.e2e.conftest import Inbox
from rapport.notifications.delivery import deliver_due

pytestmark = pytest.mark.browser


def ro(english: str) -> str:
    with translation.override("ro"):
        return translation.gettext(english)


def test_a_used_link_leads_to_a_new_one_in_romanian(
    page: Page, inbox: Inbox, carol: Contact
) -> None:
    carol.language = "ro"
    carol.save(update_fields=["language"])
    _link, token = portal_link_create(contact=carol, actor=None)
    page.goto(f"/p/o/{token}/")
    page.get_by_role("button").filter(has_text=ro("Open my project page")).click()
    page.context.clear_cookies()  # the session ends; the link is now used
    page.goto(f"/p/o/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator("h1")).to_have_text(ro("This link no longer works"))
    form = page.locator("main form.form")
    form.get_by_label(ro("Your email address")).fill(carol.email)
    form.get_by_role("button", name=ro("Send me a new link")).click()
    expect(page.locator("h1")).to_have_text(ro("Check your email"))
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    assert deliver_due(worker="e2e") == 1
    [received] = inbox.wait_for(1)
    assert received.rcpt_tos == [carol.email]
