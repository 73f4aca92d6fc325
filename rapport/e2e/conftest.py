"""Fixtures for the browser journeys.

One headless chromium (Debian's) for all the journeys, a fresh browser context (cookies,
storage) per person per test, a real SMTP server (aiosmtpd) per test with Django pointed at it.
The journeys run against pytest-django's ``live_server``, so they use ``transactional_db``.
No sleeps: Playwright's auto-waiting ``expect`` and a condition variable for the mail.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import get_resolver
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

# The real IMAP server (Debian's Dovecot) of the inbound-mail tests, for the reply journey.
from rapport.conversations.tests.dovecot import dovecot

__all__ = ["dovecot"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Auto-waiting limits: a page of this app answers in milliseconds, so a few seconds is plenty
# and keeps a broken journey from hanging for the Playwright default of 30 s.
ACTION_TIMEOUT_MS = 10_000
EXPECT_TIMEOUT_MS = 5_000
MAIL_TIMEOUT_S = 10.0

# Paths of the staff UI: the portal must never link to them.
STAFF_PREFIXES = ("/clients", "/projects", "/dashboard", "/accounts/settings")
# Where a portal page may lead: the portal itself, and the language switch.
PORTAL_PREFIXES = ("/p/", "/language/")

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


# --- SMTP -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the email has no text/plain part"
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "the email has no text/html part"
        return str(part.get_content())


class Inbox:
    """An aiosmtpd handler that keeps every message it receives, parsed."""

    def __init__(self) -> None:
        self._messages: list[ReceivedMail] = []
        self._changed = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        mail = ReceivedMail(
            mail_from=str(envelope.mail_from),
            rcpt_tos=[str(r) for r in envelope.rcpt_tos],
            message=message,
        )
        with self._changed:
            self._messages.append(mail)
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._changed:
            return list(self._messages)

    def wait_for(self, count: int = 1, timeout: float = MAIL_TIMEOUT_S) -> list[ReceivedMail]:
        """Block until ``count`` messages arrived (no polling sleep), or fail."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self._messages) >= count, timeout)
            assert arrived, f"expected {count} email(s), got {len(self._messages)} in {timeout}s"
            return list(self._messages)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 and a free port; yields its inbox and port."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=5.0)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[Inbox, int], settings: Settings, live_server: LiveServer) -> Inbox:
    """Send email for real: SMTP to ``smtp_server``, tasks run at once, links to the live server.

    The test runner swaps every MAILERS entry for the locmem backend in
    ``setup_test_environment``; overriding MAILERS here (after that) puts SMTP back, and
    Django's mailers handler reads the setting on each send.
    """
    inbox, port = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    return inbox


def portal_url_in(text: str, site_url: str) -> str:
    """The one portal magic link in ``text``; it must point at ``site_url``."""
    found = re.findall(re.escape(site_url) + r"/p/o/[A-Za-z0-9_\-]+/", text)
    assert len(set(found)) == 1, f"expected one portal link to {site_url} in:\n{text}"
    return str(found[0])


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    """The Playwright driver, alive for the browser journeys of this package.

    Playwright's sync API keeps its event loop marked as running in the main thread while the
    driver lives, and Django refuses ORM calls (the test's own, the database setup and flush)
    from a thread with a running loop. ``DJANGO_ALLOW_ASYNC_UNSAFE`` lifts that check, which is
    why the driver lives for this package (one chromium for all the journeys) and not for the
    whole session: the rest of the suite keeps the check.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if asyncio._get_running_loop() is not None:
            asyncio._set_running_loop(None)  # the driver's loop is closed now
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """One headless chromium for all the journeys."""
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="package")
def _urls_loaded() -> None:
    """Import the URLconf (DRF, drf-spectacular: about a second) once, before the first
    journey, so that one-time cost is not charged to whichever test happens to run first."""
    get_resolver().url_patterns  # noqa: B018


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer, transactional_db: None, _urls_loaded: None
) -> Iterator[NewContext]:
    """Open isolated browser contexts (one per person in the test); all closed afterwards."""
    contexts: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        options = {
            "base_url": live_server.url,
            "locale": "en-US",
            "timezone_id": "Europe/Athens",
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        for open_page in context.pages:
            # Let the sections htmx loads after a page arrive before the test's database is
            # emptied: a section still being served by the live server holds its tables, and
            # PostgreSQL then breaks the emptying as a deadlock (seen after a journey ending
            # on the client page).
            with contextlib.suppress(AssertionError):
                expect(open_page.locator("section.lazy")).to_have_count(0, timeout=5_000)
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    """A page in a fresh context: the provider's browser."""
    return new_context().new_page()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters live in the (process-wide) cache; start every journey from zero."""
    cache.clear()
    yield
    cache.clear()


# --- Screenshots ----------------------------------------------------------------------------


def artifacts_dir() -> Path:
    default = Path(django_settings.BASE_DIR) / "artifacts" / "screenshots"
    path = Path(os.environ.get("ARTIFACTS_DIR") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


Screenshot = Callable[[Page, str], Path]


@pytest.fixture
def screenshot() -> Screenshot:
    """Save a full-page PNG to $ARTIFACTS_DIR (kept by CI); returns its path."""
    directory = artifacts_dir()

    def take(page: Page, name: str) -> Path:
        path = directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return take


def link_paths(page: Page) -> list[str]:
    """The paths of every link and form target on ``page`` (resolved against the page URL)."""
    paths: list[str] = page.eval_on_selector_all(
        "a[href], form",
        "els => els.map(e => new URL(e.tagName === 'A' ? e.href : e.action, document.baseURI)"
        ".pathname)",
    )
    return paths


def staff_links(page: Page) -> list[str]:
    """Every link and form target on ``page`` that leads into the staff UI."""
    return [path for path in link_paths(page) if path.startswith(STAFF_PREFIXES)]


def non_portal_links(page: Page) -> list[str]:
    """Every link and form target on ``page`` that leads outside the portal."""
    return [path for path in link_paths(page) if not path.startswith(PORTAL_PREFIXES)]


def sections_loaded(page: Page) -> None:
    """Wait until htmx has put in place every section the page loads after it is shown
    (``includes/lazy_section.html``, core.sections)."""
    expect(page.locator("section.lazy")).to_have_count(0)


def log_in(page: Page, email: str, password: str) -> None:
    """Log in through the login form and land on the dashboard."""
    page.goto("/accounts/login/")
    form = page.locator("main form.form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def reachable_now(email: str) -> None:
    """Open the contact hours of the contact with ``email`` around the clock, and let what is
    queued for them go now.

    Client messages wait for the contact's hours in their time zone (tested on their own in
    notifications); a journey that sends one must not pass or fail with the hour CI runs at.
    """
    from datetime import time

    from django.utils import timezone

    from rapport.clients.models import Contact
    from rapport.notifications.models import Notification

    Contact.objects.filter(email=email).update(
        contact_hours_start=time(0), contact_hours_end=time(23, 59, 59, 999999)
    )
    Notification.objects.filter(contact__email=email, sent_at__isnull=True).update(
        not_before=timezone.now()
    )
