"""A new workspace's first-day checklist: each step ticks itself from the data, the list goes
away when all are done or the owner hides it."""

from __future__ import annotations

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.business import Identity, workspace_business_update
from rapport.accounts.models import Membership, User, Workspace
from rapport.billing.payment_methods import payment_method_save
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_send
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona, login
from rapport.dashboard.checklist import first_day_checklist
from rapport.projects.services import project_create


def _ticked(workspace: Workspace) -> dict[str, bool]:
    checklist = first_day_checklist(workspace=Workspace.objects.get(pk=workspace.pk))
    assert checklist is not None
    return {step.key: step.done for step in checklist.steps}


def test_each_step_ticks_itself_and_the_list_goes_when_all_are_done(alice: Persona) -> None:
    ws = alice.workspace
    assert _ticked(ws) == dict.fromkeys(
        ["business", "client", "project", "portal", "payment"], False
    )
    workspace_business_update(
        membership=alice.membership, identity=Identity(legal_name="Alice Design", country="GR")
    )
    assert _ticked(ws)["business"]
    client = client_create(workspace=ws, actor=alice.user, name="Nord")
    assert _ticked(ws)["client"]
    # The portal link is sent from the client's page: the step leads there.
    checklist = first_day_checklist(workspace=Workspace.objects.get(pk=ws.pk))
    assert checklist is not None
    [portal] = [s for s in checklist.steps if s.key == "portal"]
    assert portal.url == reverse("clients:detail", args=[client.pk])
    project_create(client=client, actor=alice.user, title="Site")
    assert _ticked(ws)["project"]
    contact = contact_create(client=client, actor=alice.user, name="Ioana", email="i@nord.example")
    portal_link_send(contact=contact, actor=alice.user)
    assert _ticked(ws)["portal"]
    assert not _ticked(ws)["payment"]
    payment_method_save(membership=alice.membership, kind="cash")
    assert first_day_checklist(workspace=Workspace.objects.get(pk=ws.pk)) is None


def test_another_workspaces_data_ticks_nothing(
    alice: Persona, mallory: Persona, acme: Client, carol: Contact
) -> None:
    portal_link_send(contact=carol, actor=alice.user)
    assert not any(_ticked(mallory.workspace).values())
    assert _ticked(alice.workspace)["client"] and _ticked(alice.workspace)["portal"]


def test_dashboard_shows_the_checklist_with_links(alice_http: HttpClient) -> None:
    body = alice_http.get(reverse("dashboard")).content.decode()
    assert 'id="checklist-h"' in body
    assert "0 of 5 done" in body
    for url in (reverse("clients:create"), reverse("billing:payment_methods")):
        assert f'href="{url}"' in body


def test_one_query_while_shown_none_once_hidden(alice: Persona) -> None:
    workspace = Workspace.objects.get(pk=alice.workspace.pk)
    with CaptureQueriesContext(connection) as shown:
        first_day_checklist(workspace=workspace)
    assert len(shown.captured_queries) == 1
    workspace.checklist_hidden_at = workspace.created_at
    with CaptureQueriesContext(connection) as hidden:
        assert first_day_checklist(workspace=workspace) is None
    assert len(hidden.captured_queries) == 0


def test_owner_hides_it_a_member_cannot(alice: Persona, alice_http: HttpClient) -> None:
    bob = User.objects.create_user("bob@example.com", "bob-password-1234", name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob, role=Membership.Role.MEMBER)
    bob_http = login(HttpClient(), Persona(user=bob, membership=bob.memberships.get()))
    assert "Hide this checklist" not in bob_http.get(reverse("dashboard")).content.decode()
    bob_http.post(reverse("dashboard_checklist_hide"))
    assert Workspace.objects.get(pk=alice.workspace.pk).checklist_hidden_at is None
    response = alice_http.post(reverse("dashboard_checklist_hide"))
    assert response.status_code == 302
    assert Workspace.objects.get(pk=alice.workspace.pk).checklist_hidden_at is not None
    assert 'id="checklist-h"' not in alice_http.get(reverse("dashboard")).content.decode()


def test_outsider_hiding_hides_only_their_own(
    alice: Persona, mallory: Persona, mallory_http: HttpClient
) -> None:
    mallory_http.post(reverse("dashboard_checklist_hide"))
    assert Workspace.objects.get(pk=mallory.workspace.pk).checklist_hidden_at is not None
    assert Workspace.objects.get(pk=alice.workspace.pk).checklist_hidden_at is None
    assert first_day_checklist(workspace=Workspace.objects.get(pk=alice.workspace.pk))
