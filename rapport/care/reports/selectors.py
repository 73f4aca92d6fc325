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

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from rapport.accounts.models import Workspace
from rapport.clients.models import Client
from rapport.core.clock import zone_or_utc
from rapport.projects.models import Project

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


def new_clients_by_month(*, workspace: Workspace, period: ReportPeriod) -> dict[date, int]:
    """How many clients started their first project in each month of the period (P34's first
    pillar: new clients). A project starts on its start date, or on the day it was created
    when it has none; a proposed project has not started. Months with none are left out. One
    query, a row a month."""
    first_start = (
        Project.objects.filter(client=OuterRef("pk"))
        .exclude(status=Project.Status.PROPOSED)
        .annotate(start=Coalesce("start_date", TruncDate("created_at", tzinfo=period.zone)))
        .order_by("start")
        .values("start")[:1]
    )
    grouped = (
        Client.objects.for_workspace(workspace)
        .annotate(first=Subquery(first_start))
        .filter(first__gte=period.first_day, first__lte=period.today)
        .annotate(month=TruncMonth("first"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["month"]: row["count"] for row in grouped}
