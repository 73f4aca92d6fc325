"""The at-risk list in a real browser (P37, P34).

A client has gone quiet for two months and an invoice of theirs is overdue: the tick scores
them at risk. The provider opens "At risk", sees the client with the suggested step (send a
progress update, since silence costs the most), follows it, sends the update; the next tick
scores the client again, the client leaves the list, and the client's card shows the
recovered score with each signal's part and the trend.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.billing.models import Invoice
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.care.health import score as rules
from rapport.care.health.scanner import scan_health_changes, scan_health_due
from rapport.care.models import ClientHealth
from rapport.care.pulse.services import pulse_answer
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import NewContext, Screenshot, log_in, sections_loaded
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Project
from rapport.projects.services import project_create

pytestmark = pytest.mark.browser


def settle() -> None:
    now = dt.datetime.now(dt.UTC)
    scan_health_changes(now)
    while scan_health_due(now):
        pass


def test_provider_follows_the_step_and_the_client_leaves_the_list(
    new_context: NewContext,
    screenshot: Screenshot,
    alice: Persona,
    live_server: LiveServer,
    settings: Settings,
) -> None:
    settings.SITE_URL = live_server.url
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Delta Logistics",
        status=Client.Status.ACTIVE,
        account_owner=alice.user,
        currency="EUR",
    )
    dan = contact_create(client=client, actor=alice.user, name="Dan Hughes", email="dan@x.example")
    project = project_create(
        client=client,
        actor=alice.user,
        title="Tracking portal",
        start_date=today - dt.timedelta(days=90),
        due_date=today + dt.timedelta(days=30),
        status=Project.Status.ACTIVE,
    )
    # Dan's last word was two months ago; the invoice sent then is now overdue.
    pulse_answer(contact=dan, score=4, source="portal", now=now - dt.timedelta(days=65))
    invoice = Invoice.objects.create(
        workspace=alice.workspace, client=client, contact=dan, kind="milestone", currency="EUR"
    )
    invoice_line_add(invoice=invoice, description="Design", quantity="1", unit_price="900")
    invoice_issue(invoice=invoice, actor=alice.user)
    Invoice.objects.filter(pk=invoice.pk).update(due_date=today - dt.timedelta(days=20))
    Notification.objects.filter(client=client).update(created_at=now - dt.timedelta(days=65))
    ClientHealth.objects.filter(client=client).update(health_due_at=now)
    settle()
    health = ClientHealth.objects.get(client=client)
    assert health.band == rules.AT_RISK, health.parts
    assert health.step == {"key": "silence", "id": project.pk}
    assert Alert.objects.filter(kind=Alert.Kind.HEALTH_AT_RISK, client=client, state="open")

    # 1. The provider opens the list from the menu and sees Delta with its step.
    page = new_context().new_page()
    log_in(page, alice.user.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="At risk").click()
    row = page.locator(f"tr.at-risk-row[data-client='{client.pk}']")
    expect(row).to_contain_text("Delta Logistics")
    expect(row).to_contain_text("At risk")
    screenshot(page, "en-at-risk")

    # 2. The step opens the update page of the running project; the update is sent.
    row.get_by_role("link", name="Send a progress update").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/update/$"))
    page.get_by_label("Your note").fill("The tracking map is live on the test server.")
    page.get_by_role("button", name="Send update").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))

    # 3. The message to Dan is on the client's timeline; the next tick scores it again.
    settle()
    health = ClientHealth.objects.get(client=client)
    assert health.band != rules.AT_RISK and health.score is not None
    assert not Alert.objects.filter(kind=Alert.Kind.HEALTH_AT_RISK, client=client, state="open")
    page.goto(reverse("care:at_risk"))
    expect(page.locator("main")).to_contain_text("No client is at risk")

    # 4. The client's card shows the recovered score, what it is made of, and the trend.
    page.goto(f"/clients/{client.pk}/")
    sections_loaded(page)
    card = page.locator("#health")
    expect(card).to_contain_text(f"{health.score}")
    expect(card).to_contain_text("1 invoice overdue.")
    expect(card.locator("#health-trend svg")).to_be_visible()
    card.scroll_into_view_if_needed()
    screenshot(page, "en-client-health")
