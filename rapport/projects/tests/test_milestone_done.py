"""Marking a milestone done with deliverables still pending asks first, and may tell the client."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification
from rapport.projects.completion import milestone_done_with_pending
from rapport.projects.models import Deliverable, Milestone
from rapport.projects.services import deliverable_update


def _url(milestone: Milestone) -> str:
    return reverse("projects:milestone_complete", args=[milestone.pk])


def test_pending_deliverables_are_listed_before_anything_is_recorded(
    alice_http: HttpClient, design_milestone: Milestone, layouts: Deliverable, carol: Contact
) -> None:
    page = alice_http.post(_url(design_milestone))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Page layouts" in body and 'name="confirmed" value="1"' in body
    assert "Carol Georgiou" in body  # offered, not ticked
    design_milestone.refresh_from_db()
    assert not design_milestone.is_done


def test_confirmed_without_contacts_marks_done_and_tells_nobody(
    alice_http: HttpClient, design_milestone: Milestone, layouts: Deliverable, carol: Contact
) -> None:
    page = alice_http.post(_url(design_milestone), {"confirmed": "1"})
    assert page.status_code == 302
    design_milestone.refresh_from_db()
    assert design_milestone.is_done
    assert not Notification.objects.filter(kind="milestone_done").exists()


def test_confirmed_with_contact_queues_a_notice_in_their_language(
    alice_http: HttpClient, design_milestone: Milestone, layouts: Deliverable, carol: Contact
) -> None:
    data = {"confirmed": "1", "contacts": [str(carol.pk)], "note": "Τα σχέδια έρχονται."}
    page = alice_http.post(_url(design_milestone), data)
    assert page.status_code == 302
    notice = Notification.objects.get(kind="milestone_done", contact=carol)
    assert notice.language == "el"
    assert "Page layouts" in notice.body and "Τα σχέδια έρχονται." in notice.body
    # Pressed again: done already, no second notice.
    alice_http.post(_url(design_milestone), data)
    assert Notification.objects.filter(kind="milestone_done").count() == 1


def test_nothing_pending_marks_done_at_once(
    alice: Persona, alice_http: HttpClient, design_milestone: Milestone, layouts: Deliverable
) -> None:
    deliverable_update(deliverable=layouts, actor=alice.user, status="delivered")
    page = alice_http.post(_url(design_milestone))
    assert page.status_code == 302
    design_milestone.refresh_from_db()
    assert design_milestone.is_done


def test_another_clients_contact_is_refused_and_nothing_written(
    alice: Persona, design_milestone: Milestone, layouts: Deliverable
) -> None:
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    stranger = contact_create(client=other, actor=alice.user, name="Stan", email="s@o.example")
    with pytest.raises(ApplicationError) as exc:
        milestone_done_with_pending(
            milestone=design_milestone, actor=alice.user, contacts=[stranger]
        )
    assert exc.value.field == "contacts"
    design_milestone.refresh_from_db()
    assert not design_milestone.is_done
    assert not Notification.objects.filter(kind="milestone_done").exists()
