"""Adding a milestone from the project page: htmx swaps the milestones section only."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.projects.models import Milestone, Project

HTMX = {"HX-Request": "true"}


def _data(project: Project, **extra: str) -> dict[str, str]:
    assert project.start_date is not None
    due = project.start_date + timedelta(days=20)
    return (
        {"ms-title": "Prototype", "ms-due_date": due.isoformat(), "ms-progress": "0"}
        | {"ms-status": "planned"}
        | extra
    )


def test_htmx_add_answers_with_the_section_and_an_empty_form(
    alice_http: HttpClient, website: Project
) -> None:
    url = reverse("projects:milestone_create", args=[website.pk])
    page = alice_http.post(url, _data(website), headers=HTMX)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section class="card" id="milestones"')
    assert "Prototype" in body and "added" in body
    # The form is empty again, ready for the next one.
    assert 'value="Prototype"' not in body
    assert Milestone.objects.filter(project=website, title="Prototype").count() == 1


def test_htmx_refusal_shows_the_error_in_place_and_writes_nothing(
    alice_http: HttpClient, website: Project
) -> None:
    assert website.due_date is not None
    late = (website.due_date + timedelta(days=1)).isoformat()
    url = reverse("projects:milestone_create", args=[website.pk])
    page = alice_http.post(url, _data(website, **{"ms-due_date": late}), headers=HTMX)
    assert page.status_code == 200  # htmx swaps only a 2xx answer
    body = page.content.decode()
    assert "errorlist" in body and "cannot be due after its project" in body
    assert 'value="Prototype"' in body  # what was typed is kept
    assert not Milestone.objects.filter(title="Prototype").exists()


def test_without_javascript_the_page_reloads_as_before(
    alice_http: HttpClient, website: Project
) -> None:
    url = reverse("projects:milestone_create", args=[website.pk])
    page = alice_http.post(url, _data(website))
    assert page.status_code == 302
    assert page["Location"] == reverse("projects:detail", args=[website.pk])
    page = alice_http.post(url, _data(website, **{"ms-due_date": ""}))
    assert page.status_code == 400
    assert "<html" in page.content.decode()


def test_project_page_form_posts_with_htmx_into_the_section(
    alice_http: HttpClient, website: Project
) -> None:
    body = alice_http.get(reverse("projects:detail", args=[website.pk])).content.decode()
    url = reverse("projects:milestone_create", args=[website.pk])
    assert f'action="{url}" hx-post="{url}" hx-target="#milestones"' in body
