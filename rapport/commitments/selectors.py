"""Reads of the ledger: lists, and the promise-keeping rate (P17)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import TruncMonth

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client
from rapport.commitments.models import Commitment

WINDOWS = (30, 90, 365)  # days, shortest first
# How each way a commitment ends counts in the keeping rate (docs/promise-keeping.md):
# kept over kept + broken, where broken is missed, moved without notice, or cancelled without
# the client's agreement; a date the client was told of and a cancellation they agreed to are
# neutral (counted, shown, not in the rate). Open and superseded rows, and what the provider
# does not owe (Commitment.NOT_OWED_KINDS), are not counted at all.
STATES_COUNTED = ("kept", "broken", "moved", "cancelled", "renegotiated", "cancel_agreed")


@dataclass(frozen=True)
class KeepingRate:
    days: int
    kept: int
    missed: int
    moved: int
    cancelled: int
    renegotiated: int
    cancel_agreed: int = 0

    @property
    def broken(self) -> int:
        """Missed, moved without telling the client, or cancelled without their agreement."""
        return self.missed + self.moved + self.cancelled

    @property
    def neutral(self) -> int:
        """A new date the client was told of, or a cancellation the client agreed to."""
        return self.renegotiated + self.cancel_agreed

    @property
    def rate(self) -> float | None:
        """Kept over kept + broken; neutral ones count as neither."""
        decided = self.kept + self.broken
        return self.kept / decided if decided else None


def _rate_counts(now: datetime) -> dict[str, Count]:
    """``<state>_<days>``: the commitments the provider owes that were resolved in that state
    within the last ``days``."""
    owed = ~Q(kind__in=Commitment.NOT_OWED_KINDS)
    counts = {}
    for days in WINDOWS:
        since = now - timedelta(days=days)
        for state in STATES_COUNTED:
            counts[f"{state}_{days}"] = Count(
                "pk", filter=owed & Q(state=state, resolved_at__gte=since)
            )
    return counts


def _resolved_within_windows(workspace: Workspace, now: datetime) -> QuerySet[Commitment]:
    return (
        Commitment.objects.for_workspace(workspace)
        .filter(state__in=STATES_COUNTED, resolved_at__gte=now - timedelta(days=max(WINDOWS)))
        .exclude(kind__in=Commitment.NOT_OWED_KINDS)
    )


def keeping_rates(
    *, workspace: Workspace, now: datetime, owner: User | None = None
) -> list[KeepingRate]:
    """The rate over the last 30, 90 and 365 days, by when each commitment was resolved: for
    the workspace, or for one member. A client's rates come with its commitments
    (``client_commitments``)."""
    rows = _resolved_within_windows(workspace, now)
    if owner is not None:
        rows = rows.filter(owner=owner)
    return keeping_rates_from(rows.aggregate(**_rate_counts(now)))


def keeping_rates_from(counts: Mapping[str, int]) -> list[KeepingRate]:
    """Rates over 30/90/365 days from counts named ``<state>_<days>``."""
    return [
        KeepingRate(
            days=days,
            kept=counts[f"kept_{days}"],
            missed=counts[f"broken_{days}"],
            moved=counts[f"moved_{days}"],
            cancelled=counts[f"cancelled_{days}"],
            renegotiated=counts[f"renegotiated_{days}"],
            cancel_agreed=counts[f"cancel_agreed_{days}"],
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
# Rows whose successor is listed in their place: a new date the client was told of, or a
# schedule that changed. A date moved without notice stays listed: it counts as broken.
REPLACED_STATES = (Commitment.State.RENEGOTIATED, Commitment.State.SUPERSEDED)


@dataclass(frozen=True)
class ClientCommitments:
    """The client page's two commitment cards: the list and the keeping rates."""

    commitments: list[Commitment]
    rates: list[KeepingRate]


def client_commitments(*, client: Client, now: datetime) -> ClientCommitments:
    """The client's commitments for its page, and its keeping rates, in one query.

    The list: open first (state "open" sorts after "kept" and "broken", hence descending), by
    due date, then oldest first, at most ``CLIENT_PAGE_COMMITMENTS``, without the renegotiated
    and superseded rows (their replacement is listed); each with ``commitment.client`` set to
    ``client``.
    The rates count
    every commitment of the client, so they are window aggregates (``COUNT(…) FILTER (…)
    OVER ()``), which the database computes before the LIMIT; renegotiated rows (counted,
    not listed) sort last and are left out of the list here.
    """
    renegotiated_last = Case(
        When(state__in=REPLACED_STATES, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rate_counts = _rate_counts(now)
    rows = list(
        Commitment.objects.filter(workspace_id=client.workspace_id, client=client)
        .annotate(**{name: Window(count) for name, count in rate_counts.items()})
        .order_by(renegotiated_last, "-state", "due_at", "id")[:CLIENT_PAGE_COMMITMENTS]
    )
    # Every row carries the same counts; a client without commitments has none to count.
    counts = {name: getattr(rows[0], name) if rows else 0 for name in rate_counts}
    listed = [row for row in rows if row.state not in REPLACED_STATES]
    for row in listed:
        row.client = client
    return ClientCommitments(commitments=listed, rates=keeping_rates_from(counts))


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
    """Each member's rates, members by name (one grouped count for all of them)."""
    users = User.objects.filter(memberships__workspace=workspace).order_by("name", "id")
    rows = (
        _resolved_within_windows(workspace, now)
        .order_by()
        .values("owner_id")
        .annotate(**_rate_counts(now))
    )
    # Each row holds its owner's counts (and the owner id, which the rates do not read); the
    # stubs type a values() row by its fields only, not by its annotations.
    grouped = {row["owner_id"]: cast(Mapping[str, int], row) for row in rows}
    zero = dict.fromkeys(_rate_counts(now), 0)
    return [(user, keeping_rates_from(grouped.get(user.pk, zero))) for user in users]


PORTAL_CANCELLATIONS = 20


def cancellations_to_answer(*, client_id: int, workspace_id: int) -> QuerySet[Commitment]:
    """The client's cancelled commitments that no contact has answered yet, newest first
    (what the portal asks the client to agree to); the caller scopes by the portal session's
    contact (``portal.access``)."""
    return (
        Commitment.objects.filter(
            workspace_id=workspace_id,
            client_id=client_id,
            state=Commitment.State.CANCELLED,
            cancel_answered_at__isnull=True,
        )
        .exclude(kind__in=Commitment.NOT_OWED_KINDS)
        .select_related("project")
        .order_by("-resolved_at", "-id")
    )


HANDOVER_PROMISES = 50


def open_promises(*, client: Client) -> list[Commitment]:
    """The client's open commitments (what is still owed), soonest first, at most
    ``HANDOVER_PROMISES``: what a handover note must pass on (P27). One query."""
    return list(
        Commitment.objects.filter(
            workspace_id=client.workspace_id, client=client, state=Commitment.State.OPEN
        )
        .exclude(kind__in=Commitment.NOT_OWED_KINDS)
        .order_by("due_at", "id")[:HANDOVER_PROMISES]
    )


def keeping_by_month(
    *, workspace: Workspace, since: datetime, zone: ZoneInfo
) -> dict[date, KeepingRate]:
    """The commitments the provider owes resolved from ``since``, counted by state for each
    month (first day, in ``zone``) they were resolved in, counted as ``keeping_rates`` counts
    them (``days`` is 0: a month, not a window). Months with none are left out. One query,
    a row a month."""
    owed = (
        Commitment.objects.for_workspace(workspace)
        .filter(state__in=STATES_COUNTED, resolved_at__gte=since)
        .exclude(kind__in=Commitment.NOT_OWED_KINDS)
    )
    counts: dict[str, Count] = {
        state: Count("pk", filter=Q(state=state)) for state in STATES_COUNTED
    }
    grouped = cast(
        "Iterable[Mapping[str, Any]]",
        owed.annotate(month=TruncMonth("resolved_at", tzinfo=zone))
        .values("month")
        .annotate(**counts)
        .order_by(),
    )
    return {
        row["month"].date(): KeepingRate(
            days=0,
            kept=row["kept"],
            missed=row["broken"],
            moved=row["moved"],
            cancelled=row["cancelled"],
            renegotiated=row["renegotiated"],
            cancel_agreed=row["cancel_agreed"],
        )
        for row in grouped
    }
