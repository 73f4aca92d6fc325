"""Reads of the ledger: lists, and the promise-keeping rate (P17)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.core.statements import PreparedQuery

WINDOWS = (30, 90, 365)  # days, shortest first
STATES_COUNTED = ("kept", "broken", "renegotiated")


@dataclass(frozen=True)
class KeepingRate:
    days: int
    kept: int
    broken: int
    renegotiated: int

    @property
    def rate(self) -> float | None:
        """Kept over kept + broken; renegotiated (client told in time) counts as neither."""
        decided = self.kept + self.broken
        return self.kept / decided if decided else None


def keeping_rates(
    *, workspace: Workspace, now: datetime, client: Client | None = None, owner: User | None = None
) -> list[KeepingRate]:
    """The rate over the last 30, 90 and 365 days, by when each commitment was resolved."""
    rows = Commitment.objects.for_workspace(workspace).filter(
        resolved_at__gte=now - timedelta(days=max(WINDOWS))
    )
    if client is not None:
        rows = rows.filter(client=client)
    if owner is not None:
        rows = rows.filter(owner=owner)
    aggregates = {}
    for days in WINDOWS:
        since = now - timedelta(days=days)
        for state in STATES_COUNTED:
            aggregates[f"{state}_{days}"] = Count(
                "pk", filter=Q(state=state, resolved_at__gte=since)
            )
    return keeping_rates_from(rows.aggregate(**aggregates))


_CLIENT_RESOLVED: PreparedQuery[Any] = PreparedQuery(
    lambda workspace_id, client_id, since: Commitment.objects.filter(
        workspace_id=workspace_id,
        client_id=client_id,
        state__in=STATES_COUNTED,
        resolved_at__gte=since,
    ).values_list("state", "resolved_at"),
    workspace_id=int,
    client_id=int,
    since=datetime,
)


def client_keeping_rates(*, client: Client, now: datetime) -> list[KeepingRate]:
    """:func:`keeping_rates` for one client, counted in Python from the state and resolution
    time of the client's commitments resolved within the longest window.

    A client has few resolved commitments a year, so reading them is one small indexed read
    (0.6 ms on the benchmark data); the same counts as nine correlated subqueries on the
    client's row cost 5.9 ms, nearly all of it building and compiling them
    (docs/performance.md).
    """
    windows = [(days, now - timedelta(days=days)) for days in WINDOWS]
    counts = {f"{state}_{days}": 0 for days in WINDOWS for state in STATES_COUNTED}
    resolved = _CLIENT_RESOLVED.list(
        workspace_id=client.workspace_id, client_id=client.pk, since=windows[-1][1]
    )
    for state, resolved_at in resolved:
        if resolved_at is None:  # excluded by the filter; for the type checker
            continue
        for days, since in windows:
            if resolved_at >= since:
                counts[f"{state}_{days}"] += 1
    return keeping_rates_from(counts)


def keeping_rates_from(counts: Mapping[str, int]) -> list[KeepingRate]:
    """Rates over 30/90/365 days from counts named ``<state>_<days>``."""
    return [
        KeepingRate(
            days=days,
            kept=counts[f"kept_{days}"],
            broken=counts[f"broken_{days}"],
            renegotiated=counts[f"renegotiated_{days}"],
        )
        for days in WINDOWS
    ]


def commitment_list(
    *, workspace: Workspace, state: str = "", client: Client | None = None, kind: str = ""
) -> QuerySet[Commitment]:
    rows = Commitment.objects.for_workspace(workspace)
    if state:
        rows = rows.filter(state=state)
    if client is not None:
        rows = rows.filter(client=client)
    if kind:
        rows = rows.filter(kind=kind)
    order = ["due_at", "id"] if state == Commitment.State.OPEN else ["-due_at", "-id"]
    return rows.select_related("client", "project", "owner", "confirmed_by").order_by(*order)


CLIENT_PAGE_COMMITMENTS = 30
_CLIENT_COMMITMENTS = PreparedQuery(
    lambda workspace_id, client_id: (
        Commitment.objects.for_workspace(workspace_id)
        .filter(client_id=client_id)
        .exclude(state=Commitment.State.RENEGOTIATED)
        .order_by("-state", "due_at")[:CLIENT_PAGE_COMMITMENTS]
    ),
    workspace_id=int,
    client_id=int,
)


def client_commitments(*, client: Client) -> list[Commitment]:
    """The client page's commitments: open first (state "open" sorts after "kept" and
    "broken", hence descending), by due date; each with ``commitment.client`` set to
    ``client`` (the list shows no other related row)."""
    rows = _CLIENT_COMMITMENTS.list(workspace_id=client.workspace_id, client_id=client.pk)
    for row in rows:
        row.client = client
    return rows


def commitment_get(*, workspace: Workspace, pk: int) -> Commitment | None:
    return (
        Commitment.objects.for_workspace(workspace)
        .select_related("client__workspace", "project", "milestone", "owner")
        .filter(pk=pk)
        .first()
    )


def member_keeping_rates(
    *, workspace: Workspace, now: datetime
) -> list[tuple[User, list[KeepingRate]]]:
    users = User.objects.filter(memberships__workspace=workspace).order_by("name", "id")
    return [(user, keeping_rates(workspace=workspace, now=now, owner=user)) for user in users]
