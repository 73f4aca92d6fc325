"""A lead becomes an active client when its first project starts, once the provider confirms."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.projects.models import Project
from rapport.projects.services import project_create, project_update


def _lead(alice: Persona, status: str = Client.Status.LEAD) -> Client:
    return client_create(
        workspace=alice.workspace, actor=alice.user, name="Lead SRL", status=status, currency="RON"
    )


def test_confirmed_active_project_makes_the_lead_active(alice: Persona) -> None:
    lead = _lead(alice)
    project_create(
        client=lead, actor=alice.user, activate_client=True, title="Shop", status="active"
    )
    lead.refresh_from_db()
    assert lead.status == Client.Status.ACTIVE
    assert TimelineEvent.objects.filter(client=lead, verb="client.status_changed").count() == 1


def test_without_confirmation_the_lead_stays_a_lead(alice: Persona) -> None:
    lead = _lead(alice)
    project_create(client=lead, actor=alice.user, title="Shop", status="active")
    lead.refresh_from_db()
    assert lead.status == Client.Status.LEAD


def test_a_proposed_project_does_not_activate_the_client(alice: Persona) -> None:
    lead = _lead(alice)
    project = project_create(client=lead, actor=alice.user, activate_client=True, title="Shop")
    lead.refresh_from_db()
    assert lead.status == Client.Status.LEAD
    project_update(project=project, actor=alice.user, activate_client=True, status="active")
    lead.refresh_from_db()
    assert lead.status == Client.Status.ACTIVE


def test_a_declined_client_is_not_revived(alice: Persona) -> None:
    declined = _lead(alice, Client.Status.DECLINED)
    project_create(
        client=declined, actor=alice.user, activate_client=True, title="Shop", status="active"
    )
    declined.refresh_from_db()
    assert declined.status == Client.Status.DECLINED


def _form(project: Project | None, **extra: str) -> dict[str, str]:
    data = {
        "title": "Shop",
        "status": "active",
        "currency": "RON",
        "update_cadence": "weekly",
        "update_weekday": "4",
    }
    return data | extra


def test_edit_form_asks_by_name_and_activates_when_ticked(
    alice: Persona, alice_http: HttpClient
) -> None:
    lead = _lead(alice)
    project = project_create(client=lead, actor=alice.user, title="Shop")
    url = reverse("projects:edit", args=[project.pk])
    assert "Make Lead SRL an active client" in alice_http.get(url).content.decode()
    alice_http.post(url, _form(project))  # box left unticked: stays a lead
    lead.refresh_from_db()
    assert lead.status == Client.Status.LEAD
    page = alice_http.post(url, _form(project, activate_client="on"))
    assert page.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Client.Status.ACTIVE
    # Now a client: nothing left to ask.
    assert "activate_client" not in alice_http.get(url).content.decode()


def test_create_form_activates_the_picked_lead(alice: Persona, alice_http: HttpClient) -> None:
    lead = _lead(alice)
    page = alice_http.post(
        reverse("projects:create"), _form(None, client=str(lead.pk), activate_client="on")
    )
    assert page.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Client.Status.ACTIVE
