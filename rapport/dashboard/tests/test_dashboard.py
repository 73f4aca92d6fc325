"""The dashboard's reads: what is due, the counts, the alerts and the activity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rapport.clients.models import Client
from rapport.clients.services import client_archive, client_create
from rapport.conftest import Persona
from rapport.dashboard.selectors import alerts_open, milestones_due, workspace_counts
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise
from rapport.projects.models import Milestone, Project
from rapport.projects.services import milestone_create, project_archive, project_create


def test_counts_leave_out_archived_other_states_and_other_workspaces(
    alice: Persona, mallory: Persona, acme: Client
) -> None:
    assert workspace_counts(workspace=mallory.workspace).active_clients == 0
    assert workspace_counts(workspace=mallory.workspace).open_projects == 0
    Client.objects.filter(pk=acme.pk).update(status=Client.Status.ACTIVE)
    lead = client_create(workspace=alice.workspace, actor=alice.user, name="Lead Ltd")
    gone = client_create(workspace=alice.workspace, actor=alice.user, name="Gone Ltd")
    Client.objects.filter(pk=gone.pk).update(status=Client.Status.ACTIVE)
    client_archive(client=gone, actor=alice.user)
    project_create(client=acme, actor=alice.user, title="A", status="active")
    project_create(client=lead, actor=alice.user, title="B", status="on_hold")
    project_create(client=lead, actor=alice.user, title="C", status="proposed")
    project_archive(
        project=project_create(client=acme, actor=alice.user, title="D", status="active"),
        actor=alice.user,
    )
    counts = workspace_counts(workspace=alice.workspace)
    assert (counts.active_clients, counts.open_projects) == (1, 2)
    assert workspace_counts(workspace=mallory.workspace).active_clients == 0


def test_due_milestones_and_alerts_are_the_workspaces_own(
    alice: Persona, mallory_data: dict[str, Any], website: Project
) -> None:
    today = date.today()
    soon = milestone_create(
        project=website, actor=alice.user, title="Soon", due_date=today + timedelta(days=6)
    )
    milestone_create(
        project=website, actor=alice.user, title="Later", due_date=today + timedelta(days=8)
    )
    done = milestone_create(
        project=website, actor=alice.user, title="Done", due_date=today + timedelta(days=1)
    )
    Milestone.objects.filter(pk=done.pk).update(status=Milestone.Status.DONE)
    assert [m.title for m in milestones_due(workspace=alice.workspace, today=today)] == [soon.title]
    assert milestones_due(workspace=alice.workspace, today=today)[0].project.client.name == (
        website.client.name
    )
    alert_raise(workspace=alice.workspace, kind=Alert.Kind.COMMITMENT_BROKEN, dedupe_key="a")
    alert_raise(
        workspace=mallory_data["client"].workspace_id, kind="commitment_broken", dedupe_key="m"
    )
    assert [a.dedupe_key for a in alerts_open(workspace=alice.workspace)] == ["a"]
