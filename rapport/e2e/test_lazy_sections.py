"""Sections loaded after the page (core.sections, ADR 0014): with JavaScript, htmx puts each
one in its place on the client page and on the portal home; without it, each place offers a
link to its section on a page of its own, which leads back."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import NewContext, log_in, sections_loaded
from rapport.projects.models import Project

pytestmark = pytest.mark.browser


def el(msgid: str) -> str:
    """What carol, who reads Greek, sees for ``msgid``; it must be translated."""
    with translation.override("el"):
        text = gettext(msgid)
    assert text != msgid, f"no Greek translation of {msgid!r}"
    return text


def test_client_page_and_portal_home_load_their_sections(
    page: Page,
    new_context: NewContext,
    live_server: LiveServer,
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
) -> None:
    log_in(page, alice.user.email, PASSWORD)
    balance_url = reverse("billing:client_balance", args=[acme.pk])
    with page.expect_response(lambda r: r.url.endswith(balance_url)) as answer:
        page.goto(reverse("clients:detail", args=[acme.pk]))
    assert answer.value.ok
    # The page's own content is there from the start; the sections arrive where they belong.
    expect(page.locator("article.contact")).to_contain_text(carol.name)
    balance = page.get_by_role("region", name="Balance", exact=True)
    expect(balance).to_contain_text("Nothing invoiced yet.")
    expect(balance.get_by_role("link", name="Invoices")).to_be_visible()
    quotes = page.get_by_role("region", name="Quotes", exact=True)
    expect(quotes).to_contain_text("No quotes yet.")
    timeline = page.get_by_role("region", name="Timeline", exact=True)
    expect(timeline.locator("li time").first).to_be_visible()
    sections_loaded(page)
    expect(page.locator("main [aria-busy=true]")).to_have_count(0)
    expect(page.get_by_text("Loading…")).to_have_count(0)

    _link, token = portal_link_create(contact=carol, actor=alice.user)
    portal = new_context().new_page()
    portal.goto(reverse("portal:open", args=[token]))
    portal.locator("main form button[type=submit]").click()
    expect(portal).to_have_url(f"{live_server.url}{reverse('portal:home')}")
    expect(portal.locator("main")).to_contain_text(website.title)
    invoices = portal.get_by_role("region", name=el("Invoices"), exact=True)
    expect(invoices).to_contain_text(el("Nothing to pay at the moment."))
    changes = portal.get_by_role("region", name=el("Changes"), exact=True)
    expect(changes.get_by_role("link", name=el("Ask for a change"))).to_be_visible()
    sections_loaded(portal)


def test_without_javascript_a_section_opens_as_a_page(
    new_context: NewContext, alice: Persona, acme: Client, carol: Contact
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, alice.user.email, PASSWORD)
    page.goto(reverse("clients:detail", args=[acme.pk]))
    balance = page.get_by_role("region", name="Balance", exact=True)
    balance.get_by_role("link", name="Show").click()
    section = reverse("billing:client_balance", args=[acme.pk])
    expect(page).to_have_url(re.compile(re.escape(section) + "$"))
    expect(page.locator("h1")).to_have_text(acme.name)
    expect(page.get_by_role("region", name="Balance", exact=True)).to_contain_text(
        "Nothing invoiced yet."
    )
    page.get_by_role("link", name=f"Back to {acme.name}").click()
    expect(page.locator("article.contact")).to_contain_text(carol.name)
