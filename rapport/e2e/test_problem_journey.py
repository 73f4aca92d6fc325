"""A problem handled in writing, in a real browser with a real SMTP server (P20, P21, P22).

An Indonesian client's milestone hits a problem; the provider reports it with two
alternatives; the contact opens the link from the email and picks one in the portal, in
Indonesian; the fix commitment is kept when the provider resolves the problem, and the
resolution report arrives at the SMTP server in Indonesian.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.care.models import Problem
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.commitments.models import Commitment
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import Inbox, NewContext, log_in, portal_url_in
from rapport.notifications.delivery import deliver_due
from rapport.projects.models import Project
from rapport.projects.services import milestone_create, project_create

pytestmark = pytest.mark.browser

EMAIL = "budi@tokobunga.example"
# What the Indonesian contact reads (rapport/locale/id/LC_MESSAGES/django.po).
ID = {
    "subject": "Kesalahan kami, dan cara kami memperbaikinya",
    "opening": "kami melakukan kesalahan pada “Toko online”",
    "options": "Pilihan Anda",
    "thanks": "Terima kasih: kami melanjutkan dengan pilihan Anda.",
    "resolved": "masalah “Foto produk hilang” sudah terselesaikan.",
    "patience": "Terima kasih atas kesabaran Anda.",
}


def test_indonesian_client_picks_an_alternative_and_gets_the_resolution(
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
        name="Toko Bunga Melati",
        status=Client.Status.ACTIVE,
        language="id",
        timezone="Asia/Jakarta",
        currency="IDR",
    )
    # Budi's hours span the whole day, so the journey does not depend on when it runs.
    budi = contact_create(
        client=client,
        actor=alice.user,
        name="Budi Santoso",
        email=EMAIL,
        language="id",
        contact_hours_start=dt.time(0),
        contact_hours_end=dt.time(23, 59, 59, 999999),
    )
    project = project_create(
        client=client,
        actor=alice.user,
        title="Toko online",
        start_date=today,
        due_date=today + dt.timedelta(days=60),
        status=Project.Status.ACTIVE,
    )
    milestone = milestone_create(
        project=project, actor=alice.user, title="Katalog", due_date=today + dt.timedelta(days=9)
    )

    # 1. The provider reports the problem from the project page, with two alternatives.
    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto(f"/projects/{project.pk}/")
    staff.locator(f"main a[href='{reverse('care:problems', args=[project.pk])}']").click()
    staff.locator(f"main a[href='{reverse('care:problem_new', args=[project.pk])}']").click()
    form = staff.locator("main form.form")
    form.locator("input[name='title']").fill("Foto produk hilang")
    form.locator("select[name='milestone']").select_option(str(milestone.pk))
    form.locator("textarea[name='what_happened']").fill("We deleted the product photos.")
    form.locator("input[name='cause'][value='ours']").check()
    form.locator("input[name='impact_days']").fill("3")
    form.locator("textarea[name='plan']").fill("We restore them from the backup.")
    form.locator("textarea[name='apology']").fill("We are sorry: it was our slip.")
    form.locator("textarea[name='prevention']").fill("A second person checks every cleanup.")
    soon = (today + dt.timedelta(days=4)).isoformat()
    form.locator("input[name='alt1_description']").fill("Restore from the backup")
    form.locator("input[name='alt1_due_date']").fill(soon)
    form.locator("input[name='alt2_description']").fill("Shoot new photos")
    form.locator("input[name='alt2_cost']").fill("500000")
    form.locator("input[name='alt2_due_date']").fill(soon)
    form.locator("button.primary[type='submit']").click()
    expect(staff.locator("ul.messages li.success")).to_be_visible()
    problem = Problem.objects.get()
    assert problem.milestone_id == milestone.pk

    # 2. The report reaches Budi's inbox in Indonesian, with a link into the portal.
    assert deliver_due(worker="e2e") == 1
    [report] = inbox.wait_for(1)
    assert report.rcpt_tos == [EMAIL]
    assert ID["subject"] in report.subject
    assert ID["opening"] in report.text
    assert "We are sorry: it was our slip." in report.text
    assert f"?next=/p/problems/{problem.pk}/" in report.text

    # 3. Budi opens it, confirms, and picks the second alternative, in Indonesian.
    portal = new_context(locale="id-ID", timezone_id="Asia/Jakarta").new_page()
    portal.goto(portal_url_in(report.text, live_server.url) + f"?next=/p/problems/{problem.pk}/")
    portal.locator("main form button[type='submit']").click()
    expect(portal.locator("html")).to_have_attribute("lang", "id")
    expect(portal.locator("#alternatives h2")).to_have_text(ID["options"])
    second = problem.alternatives.get(description="Shoot new photos")
    choice = portal.locator(f"form:has(input[name='alternative'][value='{second.pk}'])")
    choice.locator("button[type='submit']").click()
    expect(portal.locator("main")).to_contain_text(ID["thanks"])
    problem.refresh_from_db()
    assert problem.chosen_id == second.pk and problem.chosen_by_id == budi.pk
    fix = problem.fix
    assert fix is not None
    assert fix.kind == Commitment.Kind.FIX and fix.state == Commitment.State.OPEN

    # 4. The provider sees the choice, resolves the problem: the fix is kept.
    staff.goto(reverse("care:problem_detail", args=[problem.pk]))
    expect(staff.locator("main")).to_contain_text("Shoot new photos")
    resolve = staff.locator(f"form[action='{reverse('care:problem_resolve', args=[problem.pk])}']")
    resolve.locator("textarea[name='resolution']").fill("New photos are online.")
    resolve.locator("button[type='submit']").click()
    expect(staff.locator("ul.messages li.success")).to_be_visible()
    fix.refresh_from_db()
    assert fix.state == Commitment.State.KEPT

    # 5. The resolution report arrives at the SMTP server, in Indonesian.
    assert deliver_due(worker="e2e") == 1
    resolution = inbox.wait_for(2)[1]
    assert resolution.rcpt_tos == [EMAIL]
    assert ID["resolved"] in resolution.text
    assert ID["patience"] in resolution.text
    assert "New photos are online." in resolution.text
