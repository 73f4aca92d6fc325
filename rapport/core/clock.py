"""Business hours and contact hours: when an answer is due, when a message may be sent."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

import holidays
from django.utils import timezone

if TYPE_CHECKING:
    from rapport.accounts.models import Workspace

UTC = dt.UTC
# With no contact hours given, client messages go out between 08:00 and 20:00 their time
# (DESIGN.md: no 23:00 messages).
DEFAULT_CONTACT_START = dt.time(8)
DEFAULT_CONTACT_END = dt.time(20)


@dataclass(frozen=True)
class BusinessHours:
    tz: str
    start: dt.time
    end: dt.time
    weekdays: frozenset[int]
    # Public holidays of the workspace's country: not business days (see ``public_holidays``).
    holidays: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz)

    def day_length(self) -> dt.timedelta:
        today = dt.date(2000, 1, 3)
        return dt.datetime.combine(today, self.end) - dt.datetime.combine(today, self.start)


def add_business_hours(start: dt.datetime, hours: float, bh: BusinessHours) -> dt.datetime:
    """The moment ``hours`` of business time after ``start`` (aware; returned in UTC).

    Time outside business days and hours does not count: a request that arrives on Friday at
    16:00 with a 4-hour target is due on Monday at 12:00 (9-17 hours).
    """
    if hours <= 0:
        return start.astimezone(UTC)
    if not bh.weekdays or bh.day_length() <= dt.timedelta(0):
        return (start + dt.timedelta(hours=hours)).astimezone(UTC)
    zone = bh.zone
    local = start.astimezone(zone)
    remaining = dt.timedelta(hours=hours)
    day = local.date()
    cursor = local
    for _ in range(3700):  # ten years of days: a hard stop for absurd inputs
        if bh.is_working_day(day):
            open_at = dt.datetime.combine(day, bh.start, tzinfo=zone)
            close_at = dt.datetime.combine(day, bh.end, tzinfo=zone)
            begin = max(cursor, open_at)
            if begin < close_at:
                available = close_at - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(UTC)
                remaining -= available
        day += dt.timedelta(days=1)
        cursor = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    raise ValueError("business hours never open")


def working_days_between(
    start: dt.date,
    end: dt.date,
    weekdays: frozenset[int],
    holidays: frozenset[dt.date] = frozenset(),
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start); a public
    holiday in ``holidays`` that falls on a working weekday does not count."""
    if end <= start:
        return 0
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * len(weekdays)
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() in weekdays:
            count += 1
    count -= sum(1 for day in holidays if start < day <= end and day.weekday() in weekdays)
    return count


def add_working_days(day: dt.date, count: int, bh: BusinessHours) -> dt.date:
    """The ``count``-th working day after ``day`` (weekdays and holidays of ``bh``)."""
    if not bh.weekdays:
        return day + dt.timedelta(days=count)
    while count > 0:
        day += dt.timedelta(days=1)
        if bh.is_working_day(day):
            count -= 1
    return day


@functools.lru_cache(maxsize=256)
def _holidays_of_year(country: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def public_holidays(country: str, first_year: int, last_year: int) -> frozenset[dt.date]:
    """The public holidays of ``country`` (ISO 3166 code, e.g. GR, RO, ID) in the given years,
    from the ``holidays`` package; none for an empty or unknown code."""
    if not country:
        return frozenset()
    try:
        return frozenset().union(
            *(_holidays_of_year(country.upper(), y) for y in range(first_year, last_year + 1))
        )
    except NotImplementedError:  # a code the package does not know
        return frozenset()


def holiday_countries() -> list[str]:
    """Country codes the holiday calendar knows, sorted."""
    return sorted(holidays.list_supported_countries())


def workspace_hours(workspace: Workspace, around: dt.date | None = None) -> BusinessHours:
    """The workspace's business hours, days and public holidays (from last year to five years
    ahead of ``around``, enough for any ETA or forecast)."""
    year = (around or timezone.now().date()).year
    return BusinessHours(
        tz=workspace.timezone,
        start=workspace.business_hours_start,
        end=workspace.business_hours_end,
        weekdays=workspace.business_weekdays,
        holidays=public_holidays(workspace.holiday_country, year - 1, year + 5),
    )


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    """The time zone ``name``, or UTC for a name this system does not know."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def workspace_today(workspace: Workspace, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the provider works: quotes' validity and invoices' issue and due
    dates are read in that zone."""
    return (now or timezone.now()).astimezone(zone_or_utc(workspace.timezone)).date()


def next_contact_time(
    now: dt.datetime, tz: str, start: dt.time | None, end: dt.time | None
) -> dt.datetime:
    """The first moment at or after ``now`` inside the contact's hours, in their time zone.

    A window may cross midnight (22:00-06:00 for a night-shift contact).
    """
    start = start or DEFAULT_CONTACT_START
    end = end or DEFAULT_CONTACT_END
    zone = zone_or_utc(tz)
    local = now.astimezone(zone)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if inside:
        return now.astimezone(UTC)
    candidate = dt.datetime.combine(local.date(), start, tzinfo=zone)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), start, tzinfo=zone)
    return candidate.astimezone(UTC)


def end_of_day(day: dt.date, tz: str) -> dt.datetime:
    """The last moment of ``day`` in ``tz`` (a deadline "on the 5th" means by its end)."""
    zone = zoneinfo.ZoneInfo(tz)
    return (
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        - dt.timedelta(seconds=1)
    ).astimezone(UTC)
