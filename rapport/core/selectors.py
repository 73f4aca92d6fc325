"""Workspace-wide reads for the dashboard, each prepared once per process
(core.statements.PreparedQuery): the dashboard is the page a provider opens most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rapport.accounts.models import Workspace
from rapport.clients.models import Client
from rapport.core.models import TimelineEvent
from rapport.core.statements import PreparedQuery
from rapport.notifications.models import Alert
from rapport.projects.models import Milestone, Project

ACTIVITY_SHOWN = 15
DUE_SHOWN = 30
ALERTS_SHOWN = 8

_ACTIVITY = PreparedQuery(
    lambda workspace_id: (
        TimelineEvent.objects.for_workspace(workspace_id)
        .select_related("client", "actor", "actor_contact")
        .order_by("-created_at", "-id")[:ACTIVITY_SHOWN]
    ),
    workspace_id=int,
)


def activity_recent(*, workspace: Workspace) -> list[TimelineEvent]:
    """The workspace's latest timeline events, newest first."""
    return _ACTIVITY.list(workspace_id=workspace.pk)


_DUE = PreparedQuery(
    lambda workspace_id, until: (
        Milestone.objects.for_workspace(workspace_id)
        .filter(archived_at__isnull=True, due_date__lte=until)
        .exclude(status=Milestone.Status.DONE)
        .select_related("project__client")
        .order_by("due_date", "id")[:DUE_SHOWN]
    ),
    workspace_id=int,
    until=date,
)


def milestones_due(*, workspace: Workspace, today: date, days: int = 7) -> list[Milestone]:
    """Open milestones due from the past (overdue) up to ``days`` ahead, soonest first, with
    their project and client."""
    return _DUE.list(workspace_id=workspace.pk, until=today + timedelta(days=days))


_ALERTS = PreparedQuery(
    lambda workspace_id: (
        Alert.objects.for_workspace(workspace_id)
        .filter(state=Alert.State.OPEN)
        .select_related("client", "assignee")
        .order_by("-severity", "-created_at", "-id")[:ALERTS_SHOWN]
    ),
    workspace_id=int,
)


def alerts_open(*, workspace: Workspace) -> list[Alert]:
    """The most urgent open alerts, as the alert centre orders them."""
    return _ALERTS.list(workspace_id=workspace.pk)


@dataclass(frozen=True)
class WorkspaceCounts:
    active_clients: int
    open_projects: int


def workspace_counts(*, workspace: Workspace) -> WorkspaceCounts:
    """Active clients, and projects active or on hold (archived ones aside). Plain
    ``COUNT(*)``s: PostgreSQL answers them from an index, where a prepared statement would need
    a grouped count, which it answers by reading the rows (8 ms against 1.4 ms at 50,000
    projects)."""
    return WorkspaceCounts(
        active_clients=Client.objects.for_workspace(workspace)
        .active()
        .filter(status=Client.Status.ACTIVE)
        .count(),
        open_projects=Project.objects.for_workspace(workspace)
        .active()
        .filter(status__in=[Project.Status.ACTIVE, Project.Status.ON_HOLD])
        .count(),
    )
