"""Early delay warnings (P16): is an open milestone on course to meet its date?

A milestone is judged over its own window: from the previous milestone's due date (or its own
start when set, or the project's start for the first one) to its due date. Two signals, either
is enough:

- behind: its progress plus a tolerance is below the share of the window already elapsed (a
  window that has not started is never behind);
- over capacity: the hours still to do on it, plus those of its owner's open milestones due
  before it, exceed the owner's working hours left before its date (weekly capacity spread over
  the workspace's business days, public holidays taken out).

These are pure functions of dates and numbers: ``risk_day`` answers *when* a milestone will
become at risk if nothing changes, so the tick only reads milestones whose day has come.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rapport.core.clock import BusinessHours, add_working_days, working_days_between

TOLERANCE_PERCENT = 15
MAX_PROPOSED_DAYS = 260
HOURS = Decimal("0.1")


@dataclass(frozen=True)
class Inputs:
    """What the forecast of one milestone needs; ``earlier_hours`` are the remaining hours of
    the owner's open milestones due before this one (they come first)."""

    progress: int
    window_start: date
    due: date
    estimate_hours: Decimal | None
    earlier_hours: Decimal
    weekly_capacity_hours: int
    hours: BusinessHours
    warning_days: int

    @property
    def per_day(self) -> Decimal:
        return Decimal(self.weekly_capacity_hours) / Decimal(max(len(self.hours.weekdays), 1))

    @property
    def remaining_hours(self) -> Decimal | None:
        """This milestone's hours still to do; None without an estimate."""
        if self.estimate_hours is None:
            return None
        return self.estimate_hours * Decimal(100 - self.progress) / Decimal(100)

    @property
    def load_hours(self) -> Decimal | None:
        """The owner's hours to do up to this date (earlier milestones first); None without an
        estimate: such a milestone is judged on its progress only."""
        own = self.remaining_hours
        return None if own is None else own + self.earlier_hours

    def days_left(self, today: date) -> int:
        return working_days_between(today, self.due, self.hours.weekdays, self.hours.holidays)


@dataclass(frozen=True)
class Forecast:
    at_risk: bool
    urgent: bool
    expected_progress: int
    remaining_hours: Decimal | None
    load_hours: Decimal | None
    capacity_hours: Decimal | None
    working_days_left: int
    proposed_due_date: date | None
    reasons: tuple[str, ...]


def _window_days(inputs: Inputs) -> int:
    return max((inputs.due - inputs.window_start).days, 1)


def expected_progress(inputs: Inputs, today: date) -> Decimal:
    """The share of the window elapsed by ``today``, in percent (0 before it starts)."""
    total = _window_days(inputs)
    elapsed = min(max((today - inputs.window_start).days, 0), total)
    return Decimal(100 * elapsed) / Decimal(total)


def _behind(inputs: Inputs, today: date) -> bool:
    return inputs.progress + TOLERANCE_PERCENT < expected_progress(inputs, today)


def _over_capacity(inputs: Inputs, today: date) -> bool:
    load = inputs.load_hours
    if load is None or load <= 0:
        return False
    return load > inputs.per_day * inputs.days_left(today)


def at_risk(inputs: Inputs, today: date) -> bool:
    """Either signal, without the rest of the forecast (the risk moment's test)."""
    if today > inputs.due:
        return False
    return _behind(inputs, today) or _over_capacity(inputs, today)


def forecast(inputs: Inputs, today: date) -> Forecast:
    """The milestone's forecast on ``today``, with a proposed new date when at risk."""
    reasons: list[str] = []
    # Past its date it is no longer a risk but a broken commitment: the ledger says so.
    if today <= inputs.due and _behind(inputs, today):
        reasons.append("behind")
    if today <= inputs.due and _over_capacity(inputs, today):
        reasons.append("capacity")
    days_left = inputs.days_left(today)
    load = inputs.load_hours
    return Forecast(
        at_risk=bool(reasons),
        # Found late is still said: with the warning horizon reached it is urgent (P16).
        urgent=bool(reasons) and days_left <= inputs.warning_days,
        expected_progress=round(expected_progress(inputs, today)),
        remaining_hours=None if inputs.remaining_hours is None else _h(inputs.remaining_hours),
        load_hours=None if load is None else _h(load),
        capacity_hours=None if load is None else _h(inputs.per_day * days_left),
        working_days_left=days_left,
        proposed_due_date=proposed_date(inputs, today) if reasons else None,
        reasons=tuple(reasons),
    )


def proposed_date(inputs: Inputs, today: date) -> date:
    """A realistic new date: the owner's load at their capacity, or the pace so far."""
    load = inputs.load_hours
    per_day = inputs.per_day
    if load is not None and per_day > 0:
        needed = math.ceil(load / per_day)
    else:
        elapsed = max((today - inputs.window_start).days, 1)
        rate = inputs.progress / elapsed  # percent per calendar day so far
        calendar = math.ceil((100 - inputs.progress) / rate) if rate > 0 else _window_days(inputs)
        needed = math.ceil(calendar * max(len(inputs.hours.weekdays), 1) / 7)
    # At a crawl the pace can "need" decades: a year of working days is as far as we propose.
    proposed = add_working_days(today, min(max(needed, 1), MAX_PROPOSED_DAYS), inputs.hours)
    if proposed <= inputs.due:
        proposed = add_working_days(inputs.due, 1, inputs.hours)
    return proposed


def _h(value: Decimal) -> Decimal:
    return value.quantize(HOURS)


def _first_day(today: date, last: date, test: Callable[[date], bool]) -> date | None:
    """The first day in [today, last] for which ``test(day)`` holds, assuming once it holds it
    keeps holding (both signals only grow as time passes); binary search, no day-by-day walk."""
    if last < today or not test(last):
        return None
    low, high = 0, (last - today).days
    while low < high:
        middle = (low + high) // 2
        if test(today + timedelta(days=middle)):
            high = middle
        else:
            low = middle + 1
    return today + timedelta(days=low)


def risk_day(inputs: Inputs, today: date) -> date | None:
    """The first day from ``today`` on which the milestone is at risk if nothing changes
    (progress, estimates and capacity as they are); None if it never is before its date.

    Expected progress grows and working hours left shrink with every day, so each signal,
    once true, stays true: the day is found by bisection over the days up to the due date.
    """
    days = [
        day
        for day in (
            _first_day(today, inputs.due, lambda d: _behind(inputs, d)),
            _first_day(today, inputs.due, lambda d: _over_capacity(inputs, d)),
        )
        if day is not None
    ]
    return min(days) if days else None


def urgent_day(inputs: Inputs, today: date) -> date | None:
    """The first day from ``today`` with no more working days left than the warning horizon:
    a warning raised before it is made urgent then."""
    return _first_day(today, inputs.due, lambda d: inputs.days_left(d) <= inputs.warning_days)
