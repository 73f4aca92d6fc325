"""A recommendation decided by the client, in a real browser with a real SMTP server (P36).

The provider records a recommendation with two options on a Romanian client's project and
asks the contact to decide; the email arrives in Romanian with a link into the portal, where
the contact picks the option we did not recommend and says why, in Romanian; the provider
finds the decision, the reason and an alert on the project page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.care.model_decisions import Decision
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import Inbox, NewContext, log_in, portal_url_in, sections_loaded
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert
from rapport.projects.models import Project
from rapport.projects.services import project_create

pytestmark = pytest.mark.browser

EMAIL = "ioana@florarie.example"
# What the Romanian contact reads (rapport/locale/ro/LC_MESSAGES/django.po).
RO = {
    "subject": "Decizia dvs., vă rugăm: Ce magazin online",
    "opening": "la „Magazin online” este o alegere de făcut, și este a dvs.",
    "options": "Variantele",
    "recommended": "Recomandarea noastră",
    "thanks": "Vă mulțumim: decizia dvs. este înregistrată și mergem mai departe cu ea.",
}


def test_romanian_client_decides_a_recommendation_in_the_portal(
    new_context: NewContext,
    inbox: Inbox,
    alice: Persona,
    live_server: LiveServer,
    settings: Settings,
) -> None:
    settings.SITE_URL = live_server.url
    today = dt.date.today()
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Florăria Ioana",
        status=Client.Status.ACTIVE,
        language="ro",
        timezone="Europe/Bucharest",
        currency="RON",
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
    project = project_create(
        client=client,
        actor=alice.user,
        title="Magazin online",
        start_date=today,
        due_date=today + dt.timedelta(days=60),
        status=Project.Status.ACTIVE,
    )

    # 1. From the project page's decisions card, the provider records a recommendation with
    #    two options and asks Ioana to decide it.
    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto(f"/projects/{project.pk}/")
    sections_loaded(staff)
    staff.locator(f"#decisions a[href='{reverse('care:decision_new', args=[project.pk])}']").click()
    form = staff.locator("main form.form")
    form.locator("input[name='title']").fill("Ce magazin online")
    form.locator("textarea[name='recommendation']").fill(
        "A shop of our own: the marketplace takes 15% of every sale."
    )
    form.locator("input[name='opt1_label']").fill("Our own shop")
    form.locator("input[name='opt1_cost']").fill("4000")
    form.locator("input[name='opt2_label']").fill("A marketplace page")
    form.locator("textarea[name='opt2_notes']").fill("Quick to start, 15% a sale.")
    form.locator("select[name='recommended']").select_option("1")
    form.locator(f"input[name='contacts'][value='{ioana.pk}']").check()
    form.locator("button[type='submit']").click()
    expect(staff.locator("ul.messages li.success")).to_be_visible()
    decision = Decision.objects.get()
    assert decision.is_open

    # 2. The request reaches Ioana's inbox in Romanian, with a link into the portal.
    assert deliver_due(worker="e2e") == 1
    [mail] = inbox.wait_for(1)
    assert mail.rcpt_tos == [EMAIL]
    assert RO["subject"] in mail.subject
    assert RO["opening"] in mail.text
    assert f"?next=/p/decisions/{decision.pk}/" in mail.text

    # 3. Ioana opens it, confirms, and picks the marketplace, saying why, in Romanian.
    portal = new_context(locale="ro-RO", timezone_id="Europe/Bucharest").new_page()
    portal.goto(portal_url_in(mail.text, live_server.url) + f"?next=/p/decisions/{decision.pk}/")
    portal.locator("main form button[type='submit']").click()
    expect(portal.locator("html")).to_have_attribute("lang", "ro")
    expect(portal.locator("#options h2")).to_have_text(RO["options"])
    expect(portal.locator("#options")).to_contain_text(RO["recommended"])
    marketplace = decision.options.get(label="A marketplace page")
    decide = portal.locator("#decide form")
    decide.locator(f"input[name='option'][value='{marketplace.pk}']").check()
    decide.locator("textarea[name='reason']").fill("Vrem să începem luna aceasta.")
    decide.locator("button[type='submit']").click()
    expect(portal.locator("main")).to_contain_text(RO["thanks"])
    expect(portal.locator("main")).to_contain_text("Vrem să începem luna aceasta.")
    decision.refresh_from_db()
    assert decision.chosen_id == marketplace.pk and decision.decided_by_id == ioana.pk

    # 4. The provider has an alert and sees the decision on the project page and its own page.
    assert Alert.objects.filter(kind=Alert.Kind.DECISION_MADE, subject_id=decision.pk).exists()
    staff.goto(f"/projects/{project.pk}/")
    sections_loaded(staff)
    card = staff.locator("#decisions")
    expect(card).to_contain_text("Ce magazin online")
    expect(card).to_contain_text("A marketplace page")
    card.locator(f"a[href='{reverse('care:decision_detail', args=[decision.pk])}']").click()
    expect(staff.locator("main")).to_contain_text("Vrem să începem luna aceasta.")
    expect(staff.locator("main")).to_contain_text("Ioana Popescu")
