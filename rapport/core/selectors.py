"""Workspace-wide reads for the dashboard."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.accounts.models import Workspace
from rapport.core.models import TimelineEvent


def activity_recent(*, workspace: Workspace, limit: int = 15) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.for_workspace(workspace)
        .select_related("client", "actor", "actor_contact")
        .order_by("-created_at", "-id")[:limit]
    )
