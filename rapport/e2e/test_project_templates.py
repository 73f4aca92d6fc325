"""A project template in a real browser (the first day): save a project's plan as a template,
start a new project from it for another client, and find its milestones dated by their offsets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import Screenshot, log_in
from rapport.projects.models import Project
from rapport.projects.services import deliverable_create, milestone_create, project_create

pytestmark = pytest.mark.browser

START = dt.date(2027, 3, 1)


def test_save_as_template_and_start_a_project_from_it(
    page: Page, alice: Persona, acme: Client, screenshot: Screenshot
) -> None:
    project = project_create(
        client=acme,
        actor=alice.user,
        title="Website in three phases",
        start_date=START,
        due_date=START + dt.timedelta(days=45),
    )
    for title, days in (("Discovery", 10), ("Design", 30), ("Build", 45)):
        milestone = milestone_create(
            project=project, actor=alice.user, title=title, due_date=START + dt.timedelta(days=days)
        )
        deliverable_create(
            milestone=milestone, actor=alice.user, title=f"{title} notes", spec="s", format=".pdf"
        )
    beta = client_create(workspace=alice.workspace, actor=alice.user, name="Beta SRL")

    log_in(page, alice.user.email, PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Save as template").click()
    page.get_by_role("button", name="Save template").click()
    expect(page).to_have_url(re.compile(r"/projects/templates/$"))
    card = page.get_by_role("region", name="Website in three phases")
    expect(card).to_contain_text("Design notes")
    expect(card).to_contain_text("day 30")
    screenshot(page, "project-templates-en")

    card.get_by_role("link", name="New project from this template").click()
    form = page.locator("main form.form")
    form.get_by_label("Client").select_option(label="Beta SRL")
    form.get_by_label("Project name").fill("Beta website")
    form.get_by_label("Start date").fill("2027-05-03")
    form.get_by_role("button", name="Create project").click()

    created = Project.objects.get(title="Beta website")
    expect(page).to_have_url(re.compile(rf"/projects/{created.pk}/$"))
    assert created.client == beta
    for title in ("Discovery", "Design", "Build"):
        expect(page.locator("article.milestone").filter(has_text=title)).to_have_count(1)
    due = [m.due_date for m in created.milestones.order_by("due_date")]
    start = dt.date(2027, 5, 3)
    assert due == [start + dt.timedelta(days=d) for d in (10, 30, 45)]
