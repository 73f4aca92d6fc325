"""A client's birthday, in a real browser with a real SMTP server (P31).

On the morning of a Romanian contact's birthday the alert centre holds a greeting ready in
Romanian; the provider opens it, adds a line of their own and sends it; it reaches the SMTP
server in Romanian, with the salutation and signature around it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.care.namedays.scan import scan_important_dates
from rapport.clients.models import Client, ImportantDate
from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.conftest import PASSWORD, Persona
from rapport.core.clock import zone_or_utc
from rapport.e2e.conftest import Inbox, NewContext, Screenshot, log_in
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert

pytestmark = pytest.mark.browser

EMAIL = "ioana@brasov.example"


def test_the_provider_sends_a_birthday_greeting_in_romanian(
    new_context: NewContext,
    inbox: Inbox,
    alice: Persona,
    live_server: LiveServer,
    settings: Settings,
    screenshot: Screenshot,
) -> None:
    settings.SITE_URL = live_server.url
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Brașov Print SRL",
        status=Client.Status.ACTIVE,
        language="ro",
        timezone="Europe/Bucharest",
        currency="RON",
        account_owner=alice.user,
    )
    # Ioana's hours span the whole day, so the journey does not depend on when it runs.
    ioana = contact_create(
        client=client,
        actor=alice.user,
        name="Ioana Popescu",
        email=EMAIL,
        language="ro",
        contact_hours_start=dt.time(0),
        contact_hours_end=dt.time(23, 59, 59, 999999),
    )
    today = timezone.now().astimezone(zone_or_utc("Europe/Bucharest")).date()
    day = min(today.day, 28) if today.month == 2 else today.day
    item = important_date_add(contact=ioana, kind="birthday", month=today.month, day=day)
    moment = ImportantDate.objects.get(pk=item.pk).next_at
    assert moment is not None
    scan_important_dates(max(timezone.now(), moment))
    alert = Alert.objects.get(kind=Alert.Kind.IMPORTANT_DATE, data__date_id=item.pk)

    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto(reverse("notifications:alerts"))
    staff.locator(
        f"main a[href='{reverse('care:greeting_detail', args=[alert.pk])}']"
    ).first.click()
    message = staff.locator("textarea[name='message']")
    expect(message).to_contain_text("La mulți ani!")
    screenshot(staff, "greeting-page")
    # On a phone the page does not scroll sideways (docs/layout.md).
    staff.set_viewport_size({"width": 390, "height": 844})
    assert staff.evaluate("document.documentElement.scrollWidth <= innerWidth")
    staff.set_viewport_size({"width": 1280, "height": 900})
    message.fill("La mulți ani, Ioana! Vă mulțumesc pentru colaborarea din acest an.")
    staff.get_by_role("button", name="Send the greeting").click()
    expect(staff.locator("ul.messages li.success")).to_be_visible()

    assert deliver_due(worker="e2e") == 1
    [mail] = inbox.wait_for(1)
    assert mail.rcpt_tos == [EMAIL]
    assert mail.subject == "La mulți ani!"
    assert "La mulți ani, Ioana! Vă mulțumesc pentru colaborarea din acest an." in mail.text
    assert mail.text.startswith("Bună ziua, Ioana Popescu,")
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE
