"""Setting a milestone's progress from the project page, with htmx and without."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.conftest import Persona
from rapport.projects.models import Milestone
from rapport.projects.services import milestone_archive

HTMX = {"HX-Request": "true"}


def test_htmx_progress_swaps_the_card(alice_http: HttpClient, design_milestone: Milestone) -> None:
    url = reverse("projects:milestone_progress", args=[design_milestone.pk])
    page = alice_http.post(url, {"progress": "40"}, headers=HTMX)
    assert page.status_code == 200
    body = page.content.decode()
    card = f'<article class="card milestone" id="milestone-{design_milestone.pk}"'
    assert body.lstrip().startswith(card)
    assert 'value="40"' in body
    # The card as on the full page: its "add a deliverable" form is asked for when opened.
    assert reverse("projects:deliverable_create", args=[design_milestone.pk]) in body
    design_milestone.refresh_from_db()
    assert design_milestone.progress == 40


def test_htmx_progress_on_a_milestone_archived_meanwhile_reloads_the_page(
    alice_http: HttpClient, design_milestone: Milestone, alice: Persona
) -> None:
    milestone_archive(milestone=design_milestone, actor=alice.user)
    url = reverse("projects:milestone_progress", args=[design_milestone.pk])
    page = alice_http.post(url, {"progress": "40"}, headers=HTMX)
    assert page.status_code == 200
    assert page["HX-Redirect"] == reverse("projects:detail", args=[design_milestone.project_id])


def test_progress_without_htmx_redirects_with_the_reason(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    url = reverse("projects:milestone_progress", args=[design_milestone.pk])
    page = alice_http.post(url, {"progress": "130"}, follow=True)
    assert page.status_code == 200
    assert "Progress is a whole number from 0 to 100." in page.content.decode()
    design_milestone.refresh_from_db()
    assert design_milestone.progress != 130
