"""Reads of the ledger: lists, and the promise-keeping rate (P17)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

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
    return keeping_rates_from(rows.aggregate(**aggregates))


STATES_COUNTED = ("kept", "broken", "renegotiated")


def keeping_rate_annotations(now: datetime) -> dict[str, Any]:
    """The counts :func:`keeping_rates_from` needs, as annotations of a client row, so that the
    client page reads the client and its keeping rates in one query."""
    annotations: dict[str, Any] = {}
    for days in WINDOWS:
        since = now - timedelta(days=days)
        for state in STATES_COUNTED:
            count = (
                Commitment.objects.filter(
                    client_id=OuterRef("pk"), state=state, resolved_at__gte=since
                )
                .order_by()
                .values("client_id")
                .annotate(n=Count("pk"))
                .values("n")
            )
            annotations[f"{state}_{days}"] = Coalesce(
                Subquery(count, output_field=IntegerField()), Value(0)
            )
    return annotations


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
