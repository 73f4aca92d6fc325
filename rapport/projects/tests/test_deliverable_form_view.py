"""A milestone card's "add a deliverable" form: asked for with htmx, or a page of its own."""

from __future__ import annotations

import re

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.conftest import Persona
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import milestone_create

HTMX = {"HX-Request": "true"}
DATA = {"dl-title": "Logo", "dl-spec": "Three logo drafts", "dl-format": ".svg"}
DATA |= {"dl-status": "pending", "dl-revision_free_rounds": "2", "dl-revision_hourly_rate": "0"}


def test_project_page_links_each_card_to_its_form_without_rendering_it(
    alice_http: HttpClient, alice: Persona, website: Project, design_milestone: Milestone
) -> None:
    build = milestone_create(
        project=website, actor=alice.user, title="Build", due_date=website.due_date
    )
    body = alice_http.get(reverse("projects:detail", args=[website.pk])).content.decode()
    for milestone in (design_milestone, build):
        url = reverse("projects:deliverable_create", args=[milestone.pk])
        assert f'href="{url}" hx-get="{url}"' in body
        assert f'id="ms{milestone.pk}-dl-title"' not in body


def test_htmx_asks_for_the_form_alone_with_the_milestones_own_ids(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])
    page = alice_http.get(url, headers=HTMX)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" not in body
    assert f'hx-post="{url}"' in body
    key = f"ms{design_milestone.pk}-dl-title"
    assert f'<label for="{key}"' in body and f'id="{key}"' in body
    # The form takes the place of the link that was followed: its first field takes the focus.
    assert re.search(r'<input type="text" name="dl-title"[^>]* autofocus', body)


def test_without_javascript_the_form_is_a_page(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    page = alice_http.get(reverse("projects:deliverable_create", args=[design_milestone.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" in body and design_milestone.title in body
    assert f'id="ms{design_milestone.pk}-dl-title"' in body and "hx-post" not in body


def test_htmx_adds_the_deliverable_and_swaps_the_milestone_card(
    alice_http: HttpClient, website: Project, design_milestone: Milestone
) -> None:
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])
    page = alice_http.post(url, DATA, headers=HTMX)
    assert page.status_code == 200
    assert page["HX-Retarget"] == f"#milestone-{design_milestone.pk}"
    body = page.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith(
        f'<article class="card milestone" id="milestone-{design_milestone.pk}"'
    )
    assert "Three logo drafts" in body
    assert Deliverable.objects.filter(milestone=design_milestone, title="Logo").exists()


def test_htmx_gets_the_form_back_with_its_errors(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])
    page = alice_http.post(url, DATA | {"dl-title": ""}, headers=HTMX)
    assert page.status_code == 200  # htmx swaps only a 2xx answer
    body = page.content.decode()
    assert "<html" not in body and f'hx-post="{url}"' in body
    assert f'id="ms{design_milestone.pk}-dl-title_error"' in body
    assert "Three logo drafts" in body  # what was typed stays
    assert not Deliverable.objects.filter(
        milestone=design_milestone, spec__contains="logo"
    ).exists()


def test_without_javascript_errors_come_back_on_the_page_as_400(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])
    page = alice_http.post(url, DATA | {"dl-title": ""})
    assert page.status_code == 400
    body = page.content.decode()
    assert "<html" in body and "This field is required." in body


def test_without_javascript_an_added_deliverable_redirects_to_the_project(
    alice_http: HttpClient, website: Project, design_milestone: Milestone
) -> None:
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])
    page = alice_http.post(url, DATA)
    assert page.status_code == 302
    assert page["Location"] == reverse("projects:detail", args=[website.pk])


def test_another_workspace_gets_404(mallory_http: HttpClient, design_milestone: Milestone) -> None:
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])
    assert mallory_http.get(url, headers=HTMX).status_code == 404
    assert mallory_http.get(url).status_code == 404
    assert mallory_http.post(url, DATA, headers=HTMX).status_code == 404
    assert not Deliverable.objects.filter(title="Logo").exists()
