"""Reads of problems: each returns what its page shows already joined (fixed query count)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from rapport.accounts.models import Workspace
from rapport.care.models import Problem, ProblemAlternative

# The problems a portal project page lists; older ones are on the staff side only.
PORTAL_PROBLEMS = 20


def _problems(workspace_id: int) -> QuerySet[Problem]:
    return (
        Problem.objects.for_workspace(workspace_id)
        .select_related(
            "project",
            "client",
            "milestone",
            "chosen",
            "chosen_by",
            "fix",
            "talk_request",
            # Its entry in the decisions log, once the client chose (P36).
            "decision",
        )
        .prefetch_related(
            Prefetch("alternatives", queryset=ProblemAlternative.objects.order_by("position"))
        )
    )


def project_problems(*, workspace: Workspace | int, project_id: int) -> QuerySet[Problem]:
    """The problems of one project, newest first, with their alternatives and fix."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    return _problems(workspace_id).filter(project_id=project_id)


def problem_get(*, workspace: Workspace | int, pk: int) -> Problem | None:
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    return _problems(workspace_id).filter(pk=pk).first()


def client_problems(
    *, workspace_id: int, client_id: int, project_id: int | None = None
) -> QuerySet[Problem]:
    """A client's problems (the portal: the caller passes the session contact's client)."""
    rows = _problems(workspace_id).filter(client_id=client_id)
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    return rows
