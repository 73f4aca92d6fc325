"""The Settings page shows sections of the apps above accounts through their template tags:
the lead screening checklist (clients) and the channels offered to clients (notifications)."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.clients.screening.selectors import checklist
from rapport.conftest import PASSWORD, Persona


def test_the_owner_edits_the_checklist_and_the_channels(
    alice: Persona, alice_http: HttpClient
) -> None:
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    questions = checklist(alice.workspace)
    assert len(questions) == 6
    assert all(str(q.text) in page for q in questions)
    assert reverse("clients:question_add") in page
    assert reverse("clients:question_remove", args=[questions[0].pk]) in page
    assert reverse("notifications:workspace_channels_save") in page


def test_a_member_sees_the_checklist_only(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    http = HttpClient()
    http.force_login(bob)
    page = http.get(reverse("accounts:settings")).content.decode()
    assert str(checklist(alice.workspace)[0].text) in page
    assert reverse("clients:question_add") not in page
    assert reverse("notifications:workspace_channels_save") not in page


def test_adding_a_question_leads_back_to_the_settings_page(
    alice: Persona, alice_http: HttpClient
) -> None:
    response = alice_http.post(
        reverse("clients:question_add"), {"text": "Do they pay on time?", "red_flag": "no"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:settings")
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    assert "Do they pay on time?" in page
