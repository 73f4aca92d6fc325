"""The milestone form asks for the estimate and the owner that delay warnings weigh (P16), and
offers only the workspace's own members as owners."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.conftest import PASSWORD, Persona
from rapport.projects.models import Milestone, Project


def test_the_owner_list_holds_this_workspace_only(
    alice: Persona, mallory: Persona, alice_http: HttpClient, website: Project
) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob Builder")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    page = alice_http.get(reverse("projects:detail", args=[website.pk])).content.decode()
    assert 'name="ms-owner"' in page and 'name="ms-estimate_hours"' in page
    assert "Bob Builder" in page
    assert mallory.user.name not in page


def test_estimate_and_owner_are_saved_and_an_outsider_is_refused(
    alice: Persona, mallory: Persona, alice_http: HttpClient, design_milestone: Milestone
) -> None:
    url = reverse("projects:milestone_edit", args=[design_milestone.pk])
    data = {
        "title": design_milestone.title,
        "due_date": design_milestone.due_date.isoformat(),
        "progress": design_milestone.progress,
        "status": design_milestone.status,
        "estimate_hours": "12.5",
        "owner": mallory.user.pk,
    }
    refused = alice_http.post(url, data)
    assert refused.status_code == 400
    assert 'id="id_owner"' in refused.content.decode()
    design_milestone.refresh_from_db()
    assert design_milestone.owner_id is None and design_milestone.estimate_hours is None
    data["owner"] = alice.user.pk
    assert alice_http.post(url, data).status_code == 302
    saved = Milestone.objects.values_list("estimate_hours", "owner_id").get(pk=design_milestone.pk)
    assert saved == (Decimal("12.5"), alice.user.pk)
