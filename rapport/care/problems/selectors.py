"""Reads of problems: each returns what its page shows already joined (fixed query count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from rapport.accounts.models import Workspace
from rapport.care.models import Problem, ProblemAlternative, hours_shown

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


@dataclass(frozen=True, slots=True)
class ClientCare:
    """What the client page shows of problems: the goodwill given (hours, and value per
    currency) and the client-caused problems of the pattern window (P35, P25)."""

    goodwill_hours: Decimal
    goodwill_values: list[tuple[Decimal, str]]
    client_caused: int


def client_care(*, client_id: int, now: datetime, days: int) -> ClientCare:
    """One query, grouped by currency, whatever the number of problems."""
    recent = Q(cause=Problem.Cause.CLIENT, created_at__gt=now - timedelta(days=days))
    rows = (
        Problem.objects.filter(client_id=client_id)
        .filter(Q(goodwill_hours__isnull=False) | recent)
        .values("currency")
        .annotate(
            hours=Sum("goodwill_hours"),
            value=Sum("goodwill_amount"),
            caused=Count("pk", filter=recent),
        )
        .order_by("currency")
    )
    hours, values, caused = Decimal(0), [], 0
    for row in rows:
        hours += row["hours"] or 0
        caused += row["caused"]
        if row["value"]:
            values.append((row["value"], row["currency"]))
    return ClientCare(
        goodwill_hours=hours_shown(hours), goodwill_values=values, client_caused=caused
    )
