"""A progress update in a real browser: the provider sees each contact's message in the
contact's language, a milestone moves while the page is open, and the send stops, says what
changed, and goes out with the new figures once confirmed (P12, P29)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from rapport.clients.models import Client
from rapport.clients.services import contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import log_in
from rapport.notifications.models import Notification
from rapport.projects.models import Project, ProjectUpdate
from rapport.projects.services import milestone_create, milestone_update, project_create

pytestmark = pytest.mark.browser


def test_update_preview_stale_figures_and_confirm(page: Page, alice: Persona, acme: Client) -> None:
    today = dt.date.today()
    project = project_create(
        client=acme,
        actor=alice.user,
        title="New shop",
        start_date=today,
        due_date=today + dt.timedelta(days=120),
        status=Project.Status.ACTIVE,
    )
    due = today + dt.timedelta(days=30)
    designs = milestone_create(
        project=project, actor=alice.user, title="Designs", due_date=due, progress=40
    )
    radu = contact_create(
        client=acme, actor=alice.user, name="Radu Popescu", email="radu@acme.example", language="ro"
    )

    log_in(page, alice.user.email, PASSWORD)
    page.goto(f"/projects/{project.pk}/update/")
    preview = page.locator('pre[lang="ro"]')
    expect(preview).to_contain_text("Stadiul actual:")  # "Where things stand:" in Romanian
    expect(preview).to_contain_text("Designs: 40\xa0%")

    page.get_by_label("Your note").fill("Pagina principală e gata.")
    # Someone logs progress while the page is open.
    milestone_update(milestone=designs, actor=alice.user, progress=80)
    page.get_by_role("button", name="Send update").click()

    alert = page.locator("#figures-changed")
    expect(alert).to_contain_text("Nothing was sent")
    expect(alert).to_contain_text("Designs: progress 40% → 80%.")
    expect(page.locator('pre[lang="ro"]')).to_contain_text("Designs: 80\xa0%")
    expect(page.get_by_label("Your note")).to_have_value("Pagina principală e gata.")
    assert not ProjectUpdate.objects.exists()

    page.get_by_role("button", name="Send with these figures").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    message = Notification.objects.get(kind="progress_update", contact=radu)
    assert "Designs: 80\xa0%" in message.body
    assert "Pagina principală e gata." in message.body
