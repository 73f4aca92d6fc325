"""Reads of the decisions log: each returns what its page shows already joined (a fixed
number of queries whatever the number of decisions and options)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from rapport.accounts.models import Workspace
from rapport.care.model_decisions import Decision, DecisionOption

# The decisions the project page's card shows; the rest are on the project's log page.
SECTION_DECISIONS = 5
# The decisions a portal project page lists (newest first).
PORTAL_DECISIONS = 30


def _decisions(workspace_id: int) -> QuerySet[Decision]:
    return (
        Decision.objects.for_workspace(workspace_id)
        .select_related("project", "client", "milestone", "chosen", "decided_by", "recorded_by")
        .prefetch_related(
            Prefetch("options", queryset=DecisionOption.objects.order_by("position", "id"))
        )
    )


def _id(workspace: Workspace | int) -> int:
    return workspace if isinstance(workspace, int) else workspace.pk


def project_decisions(*, workspace: Workspace | int, project_id: int) -> QuerySet[Decision]:
    """The decisions log of one project, newest first, with the options and the choice."""
    return _decisions(_id(workspace)).filter(project_id=project_id)


def decision_get(*, workspace: Workspace | int, pk: int) -> Decision | None:
    return (
        _decisions(_id(workspace)).select_related("problem", "change_request").filter(pk=pk).first()
    )


def client_decisions(
    *, workspace_id: int, client_id: int, project_id: int | None = None
) -> QuerySet[Decision]:
    """A client's decisions (the portal: the caller passes the session contact's client)."""
    rows = _decisions(workspace_id).filter(client_id=client_id)
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    return rows
