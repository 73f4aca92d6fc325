"""Reads of the ledger: lists, and the promise-keeping rate (P17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client
from rapport.commitments.models import Commitment

WINDOWS = (30, 90, 365)


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
        for state in ("kept", "broken", "renegotiated"):
            aggregates[f"{state}_{days}"] = Count(
                "pk", filter=Q(state=state, resolved_at__gte=since)
            )
    counts = rows.aggregate(**aggregates)
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
