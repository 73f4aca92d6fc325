"""When each open milestone becomes at risk (P16): ``Milestone.risk_at``, kept true on writes.

The forecast (``projects.forecast``) is a pure function of a milestone, its window, its owner's
earlier load and capacity, and the workspace's calendar. Whenever one of those changes, the
owner's open milestones are forecast again and each gets the moment it will become at risk if
nothing else changes (``risk_at``); the tick then reads only the rows whose moment has come
(``projects.scanners``). A milestone found no longer at risk has its open warning resolved.

Time passing alone needs no recompute: the moment is computed for the future.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.core.clock import BusinessHours, workspace_hours, zone_or_utc
from rapport.notifications.models import Alert
from rapport.projects.forecast import Forecast, Inputs, at_risk, forecast, risk_day
from rapport.projects.models import Milestone, Project


@dataclass(frozen=True)
class Calendar:
    """A workspace's calendar and people, read once for many milestones."""

    workspace: Workspace
    hours: BusinessHours
    capacities: dict[int, int]
    owner_id: int | None  # the workspace owner: answers for milestones without an owner

    def owner_of(self, milestone: Milestone) -> int | None:
        """Who does the work: the milestone's owner while a member, else the workspace owner."""
        return self.worker(milestone.owner_id)

    def worker(self, user_id: int | None) -> int | None:
        return user_id if user_id is not None and user_id in self.capacities else self.owner_id

    def capacity_of(self, user_id: int | None) -> int:
        return self.capacities.get(user_id or 0, 0)

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(zone_or_utc(self.workspace.timezone)).date()

    def start_of(self, day: dt.date) -> dt.datetime:
        zone = zone_or_utc(self.workspace.timezone)
        return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def calendar_of(workspace: Workspace, now: dt.datetime | None = None) -> Calendar:
    """The workspace's calendar (one query: its memberships)."""
    members = list(workspace.memberships.values_list("user_id", "weekly_capacity_hours", "role"))
    owner = next((u for u, _cap, role in members if role == Membership.Role.OWNER), None)
    today = (now or timezone.now()).date()
    return Calendar(
        workspace=workspace,
        hours=workspace_hours(workspace, today),
        capacities={u: cap for u, cap, _role in members},
        owner_id=owner if owner is not None else (members[0][0] if members else None),
    )


def open_milestones() -> QuerySet[Milestone]:
    """Milestones that can be at risk: not done, not archived, of an active, current project
    (on hold, delivered or closed projects are never at risk)."""
    return (
        Milestone.objects.filter(
            archived_at__isnull=True,
            project__archived_at__isnull=True,
            project__status=Project.Status.ACTIVE,
        )
        .exclude(status=Milestone.Status.DONE)
        .annotate(previous_due=_previous_due())
    )


def _previous_due() -> Subquery:
    return Subquery(
        Milestone.objects.filter(
            project_id=OuterRef("project_id"),
            archived_at__isnull=True,
            due_date__lt=OuterRef("due_date"),
        )
        .order_by("-due_date")
        .values("due_date")[:1]
    )


def window_start(milestone: Milestone) -> dt.date:
    """Where the milestone's window starts: its own start, else the previous milestone's due
    date, else the project's start, else the day it was created; never after its due date."""
    start = (
        milestone.start_date
        or getattr(milestone, "previous_due", None)
        or milestone.project.start_date
        or timezone.localtime(milestone.created_at).date()
    )
    return min(start, milestone.due_date)


def inputs_of(milestone: Milestone, calendar: Calendar, earlier_hours: Decimal) -> Inputs:
    return Inputs(
        progress=milestone.progress,
        window_start=window_start(milestone),
        due=milestone.due_date,
        estimate_hours=milestone.estimate_hours,
        earlier_hours=earlier_hours,
        weekly_capacity_hours=calendar.capacity_of(calendar.owner_of(milestone)),
        hours=calendar.hours,
        warning_days=calendar.workspace.delay_warning_days,
    )


def milestone_forecast(
    *, milestone: Milestone, workspace: Workspace | None = None, now: dt.datetime | None = None
) -> tuple[Forecast, Inputs]:
    """The exact forecast of one milestone today, from its owner's capacity and load (the
    delay notice); ``workspace`` is the milestone's, when the caller has it loaded."""
    now = now or timezone.now()
    calendar = calendar_of(workspace or milestone.project.client.workspace, now)
    if not hasattr(milestone, "previous_due"):
        milestone.previous_due = (  # type: ignore[attr-defined]
            Milestone.objects.filter(
                project_id=milestone.project_id,
                archived_at__isnull=True,
                due_date__lt=milestone.due_date,
            )
            .order_by("-due_date")
            .values_list("due_date", flat=True)
            .first()
        )
    inputs = inputs_of(milestone, calendar, milestone.earlier_hours)
    return forecast(inputs, calendar.today(now)), inputs


def next_risk_at(
    inputs: Inputs, calendar: Calendar, now: dt.datetime
) -> tuple[dt.datetime | None, bool]:
    """(when the milestone is next at risk, whether it is at risk now). At risk now: now (the
    next tick raises the warning); else the start of the first day it will be, in the
    workspace's time zone; None if it will not be before its date."""
    today = calendar.today(now)
    if at_risk(inputs, today):
        return now, True
    day = risk_day(inputs, today)
    return (calendar.start_of(day) if day is not None else None), False


def milestone_risks_refresh(
    *,
    workspace: Workspace,
    owner_ids: Iterable[int | None] | None = None,
    project_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Forecast again the open milestones of ``owner_ids`` in ``workspace`` (all when None)
    and store when each becomes at risk; resolve the open "deadline at risk" alerts of those
    no longer at risk. With ``project_id``, the owners of that project's open milestones are
    added (its dates shape their windows). Returns how many milestones were forecast.

    Three queries whatever the number of milestones (memberships, the open milestones with
    their previous milestone's date, the alerts resolved) plus the bulk update of the moments
    that changed. Each owner's milestones are taken in date order, so the hours of the earlier
    ones add up as that owner's load (P16: an overloaded owner is a risk to every later date).
    """
    now = now or timezone.now()
    calendar = calendar_of(workspace, now)
    wanted = None if owner_ids is None else {calendar.worker(o) for o in owner_ids}
    query = open_milestones().filter(workspace_id=workspace.pk).select_related("project")
    if wanted is not None and project_id is None and calendar.owner_id not in wanted:
        query = query.filter(owner_id__in=[o for o in wanted if o is not None])
    rows = list(query.order_by("due_date", "id"))
    if wanted is not None and project_id is not None:
        wanted |= {calendar.owner_of(m) for m in rows if m.project_id == project_id}
    load: dict[int | None, Decimal] = defaultdict(Decimal)
    changed: list[Milestone] = []
    safe: list[int] = []
    forecast_count = 0
    for milestone in rows:
        owner = calendar.owner_of(milestone)
        if wanted is not None and owner not in wanted:
            continue
        # Only an estimated milestone weighs a load; the others keep 0 (and group on write).
        earlier = (
            load[owner].quantize(Decimal("0.01"))
            if milestone.estimate_hours is not None
            else Decimal(0)
        )
        inputs = inputs_of(milestone, calendar, earlier)
        load[owner] += inputs.remaining_hours or Decimal(0)
        risk_at, at_risk = next_risk_at(inputs, calendar, now)
        forecast_count += 1
        if not at_risk:
            safe.append(milestone.pk)
        if risk_at != milestone.risk_at or earlier != milestone.earlier_hours:
            milestone.risk_at, milestone.earlier_hours = risk_at, earlier
            changed.append(milestone)
    moments_save(changed)
    warnings_resolve(milestone_ids=safe, workspace_id=workspace.pk)
    return forecast_count


def moments_save(changed: list[Milestone]) -> None:
    """Store the new moments: one UPDATE per distinct (moment, load) shared by several rows
    (most milestones share a day and carry no load), one bulk update for the rest."""
    groups: dict[tuple[dt.datetime | None, Decimal], list[Milestone]] = defaultdict(list)
    for milestone in changed:
        groups[(milestone.risk_at, milestone.earlier_hours)].append(milestone)
    single: list[Milestone] = []
    for (risk_at, earlier), rows in groups.items():
        if len(rows) == 1:
            single.extend(rows)
            continue
        for start in range(0, len(rows), 1000):
            Milestone.objects.filter(pk__in=[m.pk for m in rows[start : start + 1000]]).update(
                risk_at=risk_at, earlier_hours=earlier
            )
    Milestone.objects.bulk_update(single, ["risk_at", "earlier_hours"], batch_size=200)


def milestones_clear(*, milestone_ids: list[int], workspace_id: int) -> None:
    """Milestones that can no longer be at risk (done, archived, project not active): no
    forecast moment, and their open warnings resolved."""
    if not milestone_ids:
        return
    Milestone.objects.filter(pk__in=milestone_ids, risk_at__isnull=False).update(risk_at=None)
    warnings_resolve(milestone_ids=milestone_ids, workspace_id=workspace_id)


def warnings_resolve(*, milestone_ids: list[int], workspace_id: int) -> int:
    """Resolve the open "deadline at risk" alerts of these milestones (one query)."""
    if not milestone_ids:
        return 0
    return Alert.objects.filter(
        workspace_id=workspace_id,
        kind=Alert.Kind.DEADLINE_AT_RISK,
        state=Alert.State.OPEN,
        subject_type="milestone",
        subject_id__in=milestone_ids,
    ).update(state=Alert.State.DONE, resolved_at=timezone.now())
