"""Reads of keeping in touch (P30, P31, P34): the drafts waiting, the check-ins to come, the
past clients silent longest, a returning client's record, and the three pillars by month.
Each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate

from rapport.accounts.models import Workspace
from rapport.agreements.models import Quote
from rapport.care.keepintouch.timing import add_months
from rapport.care.model_keepintouch import CheckIn, LoyaltyOffer
from rapport.clients.models import Client
from rapport.conversations.models import Request
from rapport.core.clock import zone_or_utc
from rapport.notifications.models import Notification
from rapport.projects.models import Project

# Rows each list of the keep-in-touch pages shows.
PAGE_ROWS = 50
# Projects that are still work: a client with one is not a past client.
AT_WORK = (Project.Status.PROPOSED, Project.Status.ACTIVE, Project.Status.ON_HOLD)
FINISHED = (Project.Status.DELIVERED, Project.Status.CLOSED)
# A moment before any data: stands in for "never" so that the latest of three moments can be
# taken on every database (SQLite's MAX() of a NULL is NULL).
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _id(workspace: Workspace | int) -> int:
    return workspace if isinstance(workspace, int) else workspace.pk


def _check_ins(workspace_id: int) -> QuerySet[CheckIn]:
    return CheckIn.objects.for_workspace(workspace_id).select_related(
        "client", "project", "contact", "acted_by"
    )


def check_ins_waiting(*, workspace: Workspace | int) -> list[CheckIn]:
    """Drafts waiting for the provider (check-ins and win-back), oldest first."""
    return list(
        _check_ins(_id(workspace))
        .filter(state=CheckIn.State.READY)
        .order_by("drafted_at", "id")[:PAGE_ROWS]
    )


def check_ins_coming(*, workspace: Workspace | int) -> list[CheckIn]:
    """Check-ins scheduled, soonest first."""
    return list(
        _check_ins(_id(workspace))
        .filter(state=CheckIn.State.SCHEDULED, kind=CheckIn.Kind.CHECK_IN)
        .order_by("due_at", "id")[:PAGE_ROWS]
    )


def check_ins_done(*, workspace: Workspace | int) -> list[CheckIn]:
    """Messages sent or skipped lately, newest first."""
    return list(
        _check_ins(_id(workspace))
        .filter(state__in=(CheckIn.State.SENT, CheckIn.State.SKIPPED))
        .order_by("-updated_at", "-id")[:PAGE_ROWS]
    )


def check_in_get(*, workspace: Workspace | int, pk: int) -> CheckIn | None:
    return _check_ins(_id(workspace)).select_related("client__workspace").filter(pk=pk).first()


@dataclass(frozen=True)
class Silent:
    """A past client and how long they have been silent (docs/keeping-in-touch.md)."""

    client: Client
    last_inbound: datetime | None
    last_outbound: datetime | None
    last_project: datetime | None
    silent_since: datetime | None
    draft_id: int | None


def win_back_list(*, workspace: Workspace | int) -> list[Silent]:
    """Past clients, silent longest first (P34): clients marked past, or with at least one
    project and none still at work. Silence runs from the latest of their last request (what
    they wrote), our last message to them, and the end (or start) of their last project.
    One query."""
    last_in = Request.objects.filter(client=OuterRef("pk")).order_by("-received_at")
    last_out = Notification.objects.filter(client=OuterRef("pk")).order_by("-created_at")
    last_project = (
        Project.objects.filter(client=OuterRef("pk"))
        .annotate(moment=Coalesce("delivered_at", "created_at"))
        .order_by("-moment")
    )
    draft = CheckIn.objects.filter(
        client=OuterRef("pk"), kind=CheckIn.Kind.WIN_BACK, state=CheckIn.State.READY
    )
    at_work = Project.objects.filter(
        client=OuterRef("pk"), status__in=AT_WORK, archived_at__isnull=True
    )
    any_project = Project.objects.filter(client=OuterRef("pk"))
    never = Value(NEVER, output_field=DateTimeField())
    rows = (
        Client.objects.for_workspace(_id(workspace))
        .filter(archived_at__isnull=True)
        .exclude(status__in=(Client.Status.LEAD, Client.Status.DECLINED))
        .filter(Q(status=Client.Status.PAST) | (Exists(any_project) & ~Exists(at_work)))
        .annotate(
            last_in=Subquery(last_in.values("received_at")[:1]),
            last_out=Subquery(last_out.values("created_at")[:1]),
            last_project=Subquery(last_project.values("moment")[:1]),
            draft_id=Subquery(draft.values("pk")[:1]),
        )
        .annotate(
            silent_since=Greatest(
                Coalesce("last_in", never),
                Coalesce("last_out", never),
                Coalesce("last_project", never),
            )
        )
        .order_by("silent_since", "name", "id")[:PAGE_ROWS]
    )
    return [
        Silent(
            client=c,
            last_inbound=c.last_in,
            last_outbound=c.last_out,
            last_project=c.last_project,
            silent_since=None if c.silent_since == NEVER else c.silent_since,
            draft_id=c.draft_id,
        )
        for c in rows
    ]


@dataclass(frozen=True)
class Returning:
    """A client who comes back after a delivered project (P34), and what waits for them."""

    since: datetime
    delivered: int
    offer: LoyaltyOffer | None


def returning_client(
    *, workspace: Workspace | int, client_id: int, exclude_project_id: int | None = None
) -> Returning | None:
    """The client's record when they have a delivered project (other than
    ``exclude_project_id``): since when (their first delivery) and how many, and the loyalty
    offer waiting for their next quote. Two queries; None for a first-time client."""
    done = Project.objects.for_workspace(_id(workspace)).filter(
        client_id=client_id, delivered_at__isnull=False
    )
    if exclude_project_id is not None:
        done = done.exclude(pk=exclude_project_id)
    found = done.aggregate(since=Min("delivered_at"), n=Count("id"))
    if not found["n"]:
        return None
    offer = (
        LoyaltyOffer.objects.for_workspace(_id(workspace))
        .filter(client_id=client_id, quote__isnull=True)
        .first()
    )
    return Returning(since=found["since"], delivered=found["n"], offer=offer)


def quote_loyalty_offer(*, workspace: Workspace | int, quote_id: int) -> LoyaltyOffer | None:
    """The loyalty offer attached to a quote, if any."""
    return LoyaltyOffer.objects.for_workspace(_id(workspace)).filter(quote_id=quote_id).first()


@dataclass(frozen=True)
class Pillars:
    """The three pillars of a month (P34): clients new, kept and won back."""

    month: date
    new: int
    kept: int
    won_back: int


def _month(day: date) -> date:
    return day.replace(day=1)


def pillars_by_month(*, workspace_id: int, start: date, end: date) -> list[Pillars]:
    """The pillars of each month from ``start``'s to ``end``'s, both included (P34).

    A project starts on its start date, or the day it was written (in the workspace's time
    zone) when it has none; a proposed project has not started; it ends when it was
    delivered. For each month, counting each client once:
    *new*: the client's first project started that month; *won back*: a project started that
    month and the client's previous project ended more than 12 months before, or we sent
    them a win-back message in the 12 months before; *kept*: otherwise, a project started
    that month and an earlier project of theirs was delivered within the 12 months before.
    Three queries: the workspace's time zone, its projects (four columns) and its win-back
    messages sent.
    """
    if end < start:
        return []
    zone = zone_or_utc(
        Workspace.objects.filter(pk=workspace_id).values_list("timezone", flat=True).first()
        or "UTC"
    )
    projects = (
        Project.objects.for_workspace(workspace_id)
        .exclude(status=Project.Status.PROPOSED)
        .annotate(started=Coalesce("start_date", TruncDate("created_at", tzinfo=zone)))
        .values_list("client_id", "started", "delivered_at")
        .order_by("client_id", "started")
    )
    by_client: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for client_id, started, delivered_at in projects:
        ended = delivered_at.date() if delivered_at is not None else None
        by_client[client_id].append((started, ended))
    win_backs: dict[int, list[date]] = defaultdict(list)
    for client_id, sent_at in (
        CheckIn.objects.for_workspace(workspace_id)
        .filter(kind=CheckIn.Kind.WIN_BACK, state=CheckIn.State.SENT, sent_at__isnull=False)
        .values_list("client_id", "sent_at")
    ):
        if sent_at is not None:
            win_backs[client_id].append(sent_at.date())
    first, last = _month(start), _month(end)
    counts: dict[date, dict[str, set[int]]] = {}
    month = first
    while month <= last:
        counts[month] = {"new": set(), "kept": set(), "won_back": set()}
        month = add_months(month, 1)
    for client_id, rows in by_client.items():
        for index, (started, _ended) in enumerate(rows):
            bucket = counts.get(_month(started))
            if bucket is None:
                continue
            pillar = _pillar(rows[:index], started, win_backs.get(client_id, []))
            if pillar:
                bucket[pillar].add(client_id)
    return [
        Pillars(
            month=m,
            new=len(c["new"]),
            kept=len(c["kept"] - c["new"] - c["won_back"]),
            won_back=len(c["won_back"] - c["new"]),
        )
        for m, c in counts.items()
    ]


def _pillar(earlier: list[tuple[date, date | None]], started: date, sent: list[date]) -> str:
    """Which pillar a project started on ``started`` counts in, given the client's earlier
    projects (started before, or the same day but written first) and win-back messages."""
    if not earlier:
        return "new"
    year_before = add_months(started, -12)
    if any(year_before <= day <= started for day in sent):
        return "won_back"
    ended = [e for _s, e in earlier if e is not None and e <= started]
    if ended and max(ended) >= year_before:
        return "kept"
    if ended:
        return "won_back"
    return ""


def quote_get(*, workspace: Workspace | int, pk: int) -> Quote | None:
    """A quote of the workspace with its client and project (for its loyalty card)."""
    return (
        Quote.objects.for_workspace(_id(workspace))
        .select_related("client", "project")
        .filter(pk=pk)
        .first()
    )
