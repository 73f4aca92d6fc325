"""The workspace's load per week, with and without a new piece of work (P03): the screening
page asks before taking a lead on, the quote page before the quote goes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rapport.accounts.models import Membership, Workspace
from rapport.projects.models import Project


@dataclass(frozen=True)
class Week:
    start: date
    capacity: Decimal
    booked: Decimal
    with_new: Decimal

    @property
    def over_now(self) -> bool:
        return self.booked > self.capacity

    @property
    def over_with_new(self) -> bool:
        return self.with_new > self.capacity


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _per_week(hours: Decimal, start: date, due: date) -> tuple[date, date, Decimal]:
    first, last = _monday(start), _monday(due)
    weeks = (last - first).days // 7 + 1
    return first, last, hours / weeks


def capacity_weeks(
    *,
    workspace: Workspace | int,
    today: date,
    weeks: int = 12,
    new_hours: Decimal | None = None,
    new_start: date | None = None,
    new_due: date | None = None,
    exclude_project_id: int | None = None,
) -> list[Week]:
    """The workspace's load per week with and without a new piece of work (P03).

    Capacity is the members' weekly hours; booked hours are the estimated hours of active and
    proposed projects spread evenly over their weeks. ``exclude_project_id`` leaves one project
    out of the booked hours: the quote page shows its project as the new work.
    """
    capacity = Decimal(
        sum(
            Membership.objects.filter(workspace=workspace).values_list(
                "weekly_capacity_hours", flat=True
            )
        )
    )
    first_week = _monday(today)
    horizon_end = first_week + timedelta(weeks=weeks)
    projects = (
        Project.objects.for_workspace(workspace)
        .filter(
            archived_at__isnull=True,
            status__in=[Project.Status.ACTIVE, Project.Status.PROPOSED, Project.Status.ON_HOLD],
            estimated_hours__isnull=False,
            start_date__isnull=False,
            due_date__isnull=False,
            start_date__lt=horizon_end,
            due_date__gte=first_week,
        )
        .exclude(pk=exclude_project_id or 0)
        .values_list("estimated_hours", "start_date", "due_date")
    )
    booked = {first_week + timedelta(weeks=i): Decimal(0) for i in range(weeks)}
    for hours, start, due in projects:
        if hours is None or start is None or due is None:  # excluded by the query; for typing
            continue
        p_first, p_last, each = _per_week(hours, start, due)
        for week in booked:
            if p_first <= week <= p_last:
                booked[week] += each
    extra = {week: Decimal(0) for week in booked}
    if new_hours and new_start and new_due and new_due >= new_start:
        n_first, n_last, each = _per_week(new_hours, new_start, new_due)
        for week in extra:
            if n_first <= week <= n_last:
                extra[week] = each
    return [
        Week(
            start=week,
            capacity=capacity,
            booked=booked[week].quantize(Decimal("0.1")),
            with_new=(booked[week] + extra[week]).quantize(Decimal("0.1")),
        )
        for week in booked
    ]
