"""Asking for a portal link by email: the answer never tells whether the address is known."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Contact
from rapport.e2e.conftest import Inbox, portal_url_in
from rapport.notifications.delivery import deliver_due

pytestmark = pytest.mark.browser


def request_link(page: Page, email: str) -> tuple[int, str, str]:
    """Ask for a link for ``email``; returns the status, the title and the text of the answer."""
    page.goto("/p/link/")
    form = page.locator("main form.form")
    form.get_by_label("Your email address").fill(email)
    with page.expect_response(
        lambda r: r.url.endswith("/p/link/") and r.request.method == "POST"
    ) as response:
        form.get_by_role("button", name="Send me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    return response.value.status, page.title(), page.locator("main").inner_text()


def test_unknown_and_known_email_get_the_same_answer(
    page: Page, inbox: Inbox, carol: Contact, live_server: LiveServer
) -> None:
    unknown = request_link(page, "nobody@unknown.example")
    known = request_link(page, carol.email.upper())  # the lookup ignores case

    assert unknown == known
    assert unknown[0] == 200
    # Only the known contact got a link: both answers are in, so the outbox holds every
    # link either request wrote, and the deliverer sends one.
    assert deliver_due(worker="e2e") == 1
    [received] = inbox.wait_for(1)
    assert received.rcpt_tos == [carol.email]
    assert received.subject == f"Η σελίδα των έργων σας – {carol.client.workspace.name}"  # el
    assert len(inbox.messages) == 1
    portal_url_in(received.text, live_server.url)
