"""In a browser: milestones and deliverables are added on the project page without a reload."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import log_in
from rapport.projects.models import Deliverable, Milestone, Project

pytestmark = pytest.mark.browser


def test_milestone_then_deliverable_added_in_place(
    page: Page, live_server: LiveServer, alice: Persona, website: Project
) -> None:
    assert website.start_date is not None and website.due_date is not None
    log_in(page, alice.user.email, PASSWORD)
    page.goto(reverse("projects:detail", args=[website.pk]))
    # A mark on the window: a full page load would wipe it.
    page.evaluate("window.notReloaded = true")
    section = page.locator("#milestones")
    form = section.locator("form.form").last
    form.get_by_label("Title").fill("Prototype")
    late = website.due_date + timedelta(days=3)
    form.get_by_label("Due date").fill(late.isoformat())
    form.get_by_role("button", name="Add milestone").click()
    # Refused in place: the error on the field, what was typed kept, nothing written.
    expect(section.locator(".errorlist")).to_contain_text("cannot be due after its project")
    assert not Milestone.objects.filter(title="Prototype").exists()
    form = section.locator("form.form").last
    expect(form.get_by_label("Title")).to_have_value("Prototype")
    form.get_by_label("Due date").fill((website.start_date + timedelta(days=15)).isoformat())
    form.get_by_role("button", name="Add milestone").click()
    card = page.locator("article.milestone", has_text="Prototype")
    expect(card).to_be_visible()
    expect(section.get_by_role("status")).to_contain_text("Prototype")
    expect(section.locator("form.form").last.get_by_label("Title")).to_have_value("")

    card.get_by_role("link", name="Add a deliverable").click()
    # The form arrives by htmx: fill it only once it is in the card, and wait for the answer.
    deliverable_form = card.locator("form[action$='/deliverables/new/']")
    expect(deliverable_form).to_be_visible()
    deliverable_form.get_by_label("Title").fill("Clickable prototype")
    deliverable_form.get_by_label("Specification").fill("Home and checkout flows")
    deliverable_form.get_by_label("Format").fill("Figma link")
    with page.expect_response(re.compile(r"/deliverables/new/$")) as answer:
        deliverable_form.get_by_role("button", name="Add deliverable").click()
    assert answer.value.ok
    expect(page.locator("article.milestone", has_text="Prototype")).to_contain_text(
        "Home and checkout flows"
    )
    assert Deliverable.objects.filter(title="Clickable prototype").exists()
    assert page.evaluate("window.notReloaded") is True
