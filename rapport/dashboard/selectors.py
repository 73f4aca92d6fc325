"""Workspace-wide reads for the dashboard, the page a provider opens most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rapport.accounts.models import Workspace
from rapport.clients.models import Client
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Alert
from rapport.notifications.ranking import ranked
from rapport.projects.models import Milestone, Project

ACTIVITY_SHOWN = 15
DUE_SHOWN = 30
ALERTS_SHOWN = 8


def activity_recent(*, workspace: Workspace) -> list[TimelineEvent]:
    """The workspace's latest timeline events, newest first."""
    return list(
        TimelineEvent.objects.for_workspace(workspace)
        .select_related("client", "actor", "actor_contact")
        .order_by("-created_at", "-id")[:ACTIVITY_SHOWN]
    )


def milestones_due(*, workspace: Workspace, today: date, days: int = 7) -> list[Milestone]:
    """Open milestones due from the past (overdue) up to ``days`` ahead, soonest first, with
    their project and client."""
    return list(
        Milestone.objects.for_workspace(workspace)
        .filter(archived_at__isnull=True, due_date__lte=today + timedelta(days=days))
        .exclude(status=Milestone.Status.DONE)
        .select_related("project__client")
        .order_by("due_date", "id")[:DUE_SHOWN]
    )


def alerts_open(*, workspace: Workspace) -> list[Alert]:
    """ "To do today": the open alerts that need the provider first, as the alert centre
    ranks them (a client waiting above a forecast)."""
    return list(
        ranked(
            Alert.objects.for_workspace(workspace)
            .filter(state=Alert.State.OPEN)
            .select_related("client", "assignee")
        )[:ALERTS_SHOWN]
    )


@dataclass(frozen=True)
class WorkspaceCounts:
    active_clients: int
    open_projects: int


def workspace_counts(*, workspace: Workspace) -> WorkspaceCounts:
    """Active clients, and projects active or on hold (archived ones aside)."""
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
