"""Reads of the reports page: the period and its months, and the new clients of each month.

The other figures come from the selectors of the apps that own them
(``conversations.selectors.response_times_by_month``, ``commitments.selectors.keeping_by_month``,
``billing.selectors.revenue_by_month``); each groups by month in the database, so the page runs
the same queries for ten rows or a million (rapport/core/tests/test_query_counts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from rapport.accounts.models import Workspace
from rapport.core.clock import zone_or_utc

# The lengths a reader may choose, in months; the last twelve unless they choose.
PERIODS = (3, 6, 12, 24)
DEFAULT_PERIOD = 12


@dataclass(frozen=True)
class ReportPeriod:
    """The months a report covers, oldest first: the current month (in the workspace's time
    zone) and the ones before it. Each month is named by its first day."""

    months: tuple[date, ...]
    zone: ZoneInfo
    today: date

    @property
    def first_day(self) -> date:
        return self.months[0]

    @property
    def since(self) -> datetime:
        """The first moment of the period: midnight of its first day in the workspace's zone."""
        return datetime.combine(self.first_day, time(0), tzinfo=self.zone)


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def report_period(*, workspace: Workspace, length: int, now: datetime) -> ReportPeriod:
    """The ``length`` months up to the one ``now`` falls in, in the workspace's time zone."""
    if length not in PERIODS:
        length = DEFAULT_PERIOD
    zone = zone_or_utc(workspace.timezone)
    today = now.astimezone(zone).date()
    current = today.replace(day=1)
    months = tuple(_months_back(current, back) for back in range(length - 1, -1, -1))
    return ReportPeriod(months=months, zone=zone, today=today)
