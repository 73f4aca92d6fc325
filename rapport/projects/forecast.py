"""Early delay warnings (P16): is an open milestone on course to meet its date?

Two signals, either is enough:
- progress behind time: the share of the milestone's time already spent, minus a tolerance,
  is ahead of its progress;
- effort beyond capacity: the estimated hours still to do exceed the owner's working hours
  left before the date (weekly capacity spread over the workspace's business days).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rapport.core.clock import working_days_between

TOLERANCE_PERCENT = 15


@dataclass(frozen=True)
class Forecast:
    at_risk: bool
    expected_progress: int
    remaining_hours: Decimal | None
    capacity_hours: Decimal | None
    working_days_left: int
    proposed_due_date: date | None
    reasons: tuple[str, ...]


def forecast_milestone(
    *,
    progress: int,
    start: date,
    due: date,
    today: date,
    estimate_hours: Decimal | None,
    weekly_capacity_hours: int,
    weekdays: frozenset[int],
) -> Forecast:
    total_days = max((due - start).days, 1)
    elapsed = min(max((today - start).days, 0), total_days)
    expected = round(100 * elapsed / total_days)
    days_left = working_days_between(today, due, weekdays)
    reasons: list[str] = []
    if progress + TOLERANCE_PERCENT < expected:
        reasons.append("behind")
    remaining: Decimal | None = None
    capacity: Decimal | None = None
    per_day = Decimal(weekly_capacity_hours) / Decimal(max(len(weekdays), 1))
    if estimate_hours is not None:
        remaining = (estimate_hours * Decimal(100 - progress) / Decimal(100)).quantize(
            Decimal("0.1")
        )
        capacity = (per_day * days_left).quantize(Decimal("0.1"))
        if remaining > capacity:
            reasons.append("capacity")
    proposed = None
    if reasons:
        # Days needed at the current pace (or at full capacity when an estimate exists).
        if remaining is not None and per_day > 0:
            needed = math.ceil(remaining / per_day)
        else:
            rate = progress / max(elapsed, 1)  # percent per calendar day so far
            needed_calendar = math.ceil((100 - progress) / rate) if rate > 0 else total_days
            needed = math.ceil(needed_calendar * max(len(weekdays), 1) / 7)
        proposed = _add_working_days(today, max(needed, 1), weekdays)
        if proposed <= due:
            proposed = _add_working_days(due, 1, weekdays)
    return Forecast(
        at_risk=bool(reasons),
        expected_progress=expected,
        remaining_hours=remaining,
        capacity_hours=capacity,
        working_days_left=days_left,
        proposed_due_date=proposed,
        reasons=tuple(reasons),
    )


def _add_working_days(day: date, count: int, weekdays: frozenset[int]) -> date:
    if not weekdays:
        return day + timedelta(days=count)
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() in weekdays:
            count -= 1
    return day
