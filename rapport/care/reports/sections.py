"""The sections of the reports page, in the order shown: one list, ``SECTIONS``.

Each section is a function of the workspace and the period that reads its figures through
selectors (one or two queries, whatever the data size) and returns a ``ReportSection``: a
heading, a sentence saying what is counted, and charts, each drawn with the table of its
figures (ADR 0039). A new section is a function appended to ``SECTIONS``.

Every month of the period is a category, an empty month too: a count is 0 there, a median or
a rate has no value (a gap in the line, a dash in the table), never a made-up 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rapport.accounts.models import Workspace
from rapport.billing.selectors import revenue_by_month
from rapport.care.health.score import WATCH_FROM
from rapport.care.health.selectors import health_distribution
from rapport.care.keepintouch.selectors import pillars_by_month
from rapport.care.reports.selectors import ReportPeriod
from rapport.care.surveys.selectors import nps_by_month
from rapport.commitments.selectors import keeping_by_month
from rapport.conversations.selectors import response_times_by_month
from rapport.core.charts import Chart, Series
from rapport.core.formatting import month_text


@dataclass(frozen=True)
class ReportSection:
    """One section of the page: ``slug`` names it in the page (its anchor and chart ids)."""

    slug: str
    title: str
    intro: str
    charts: tuple[tuple[str, Chart], ...]


Build = Callable[[Workspace, ReportPeriod], ReportSection]


def month_labels(period: ReportPeriod) -> list[str]:
    """The months' names in the active language ("May 2026", "Μάι 2026"), for the tables."""
    return [month_text(month) for month in period.months]


def month_axis(period: ReportPeriod) -> list[str]:
    """The months' short names under a chart's axis: the year only on the first month and
    on each January ("Nov 2025", "Dec", "Jan 2026", "Feb")."""
    return [
        month_text(month, year=index == 0 or month.month == 1)
        for index, month in enumerate(period.months)
    ]


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _each[T](period: ReportPeriod, found: Mapping[date, T]) -> list[T | None]:
    return [found.get(month) for month in period.months]


def responses_section(workspace: Workspace, period: ReportPeriod) -> ReportSection:
    """P14: how long clients waited for a first answer, against the response target."""
    months = _each(
        period,
        response_times_by_month(workspace=workspace, since=period.since, zone=period.zone),
    )
    labels, axis = month_labels(period), month_axis(period)
    waits = Chart(
        caption=_("Time to first answer, in hours"),
        labels=labels,
        axis_labels=axis,
        kind="line",
        digits=1,
        series=[
            Series(_("Median"), [_hours(m.median) if m else None for m in months]),
            Series(_("9 in 10 answered within"), [_hours(m.p90) if m else None for m in months]),
        ],
        reference=workspace.response_target_hours,
        reference_label=_("Target (business hours)"),
    )
    within = Chart(
        caption=_("Requests answered by their answer-by time"),
        labels=labels,
        axis_labels=axis,
        digits=0,
        unit="%",
        high=100,
        series=[
            Series(
                _("Answered in time"),
                [_percent(m.share_within_target) if m else None for m in months],
            )
        ],
    )
    return ReportSection(
        slug="responses",
        title=_("Response times"),
        intro=_(
            "Requests by the month they arrived in, once answered: the median wait for a "
            "first answer, the wait nine in ten stayed within, and the share answered by the "
            "time promised. The target counts business hours; the waits count every hour."
        ),
        charts=(("responses-wait", waits), ("responses-in-time", within)),
    )


def promises_section(workspace: Workspace, period: ReportPeriod) -> ReportSection:
    """P15, P17: commitments resolved each month, and the share of them kept."""
    months = _each(
        period, keeping_by_month(workspace=workspace, since=period.since, zone=period.zone)
    )
    labels, axis = month_labels(period), month_axis(period)
    counts = Chart(
        caption=_("Commitments by how they ended"),
        labels=labels,
        axis_labels=axis,
        series=[
            Series(_("Kept"), [m.kept if m else 0 for m in months]),
            Series(_("Broken"), [m.broken if m else 0 for m in months]),
            Series(
                _("Changed with the client's agreement"), [m.neutral if m else 0 for m in months]
            ),
        ],
    )
    rate = Chart(
        caption=_("Promise-keeping rate"),
        labels=labels,
        axis_labels=axis,
        kind="line",
        unit="%",
        high=100,
        series=[Series(_("Kept"), [_percent(m.rate) if m else None for m in months])],
    )
    return ReportSection(
        slug="promises",
        title=_("Promise keeping"),
        intro=_(
            "Deadlines and promises by the month they were kept, broken or changed. Broken: "
            "missed, moved without telling the client, or cancelled without their agreement. "
            "A new date the client was told of, or a cancellation they agreed to, is neither "
            "kept nor broken and stays out of the rate."
        ),
        charts=(("promises-counts", counts), ("promises-rate", rate)),
    )


def revenue_section(workspace: Workspace, period: ReportPeriod) -> ReportSection:
    """P10: invoiced and received each month, one chart per currency (never summed across)."""
    found = revenue_by_month(workspace=workspace, since=period.first_day)
    labels, axis = month_labels(period), month_axis(period)
    # The workspace's own currency first, then the others alphabetically.
    currencies = sorted(found, key=lambda code: (code != workspace.default_currency, code))
    charts = []
    for code in currencies:
        months = _each(period, found[code])
        charts.append(
            (
                f"revenue-{code.lower()}",
                Chart(
                    caption=_("Revenue in %(currency)s") % {"currency": code},
                    labels=labels,
                    axis_labels=axis,
                    digits=2,
                    unit=f"\u00a0{code}",
                    series=[
                        Series(_("Invoiced"), [m.invoiced if m else Decimal(0) for m in months]),
                        Series(
                            pgettext("money", "Received"),
                            [m.paid if m else Decimal(0) for m in months],
                        ),
                    ],
                ),
            )
        )
    if not charts:
        # No invoice in the period: one chart says so, in the workspace's currency.
        none: list[Decimal | None] = [None] * len(labels)
        charts.append(
            (
                "revenue",
                Chart(
                    caption=_("Revenue in %(currency)s") % {"currency": workspace.default_currency},
                    labels=labels,
                    axis_labels=axis,
                    digits=2,
                    series=[
                        Series(_("Invoiced"), none),
                        Series(pgettext("money", "Received"), none),
                    ],
                ),
            )
        )
    return ReportSection(
        slug="revenue",
        title=_("Revenue"),
        intro=_(
            "Issued invoices by their issue date, and payments by the day they were received. "
            "Each currency has its own chart: amounts in different currencies are never added up."
        ),
        charts=tuple(charts),
    )


def clients_section(workspace: Workspace, period: ReportPeriod) -> ReportSection:
    """P34: the three pillars, new, kept and won back, each client counted once a month."""
    months = {
        p.month: p
        for p in pillars_by_month(
            workspace_id=workspace.pk, start=period.first_day, end=period.months[-1]
        )
    }
    found = _each(period, months)
    chart = Chart(
        caption=_("Clients per month"),
        labels=month_labels(period),
        axis_labels=month_axis(period),
        series=[
            Series(pgettext("clients", "New"), [m.new if m else 0 for m in found]),
            Series(pgettext("clients", "Kept"), [m.kept if m else 0 for m in found]),
            Series(_("Won back"), [m.won_back if m else 0 for m in found]),
        ],
    )
    return ReportSection(
        slug="clients",
        title=_("Clients"),
        intro=_(
            "The three pillars, by the month a project started: new clients (their first "
            "project), kept clients (an earlier project delivered within the year before) and "
            "clients won back (their previous project ended over a year before, or a win-back "
            "message went to them in the year before)."
        ),
        charts=(("clients-pillars", chart),),
    )


def satisfaction_section(workspace: Workspace, period: ReportPeriod) -> ReportSection:
    """P34: the Net Promoter Score of the survey answers of each month, and how many."""
    found = _each(
        period,
        {
            m.month: m
            for m in nps_by_month(
                workspace_id=workspace.pk, start=period.first_day, end=period.months[-1]
            )
        },
    )
    labels, axis = month_labels(period), month_axis(period)
    score = Chart(
        caption=_("Net Promoter Score"),
        labels=labels,
        axis_labels=axis,
        kind="line",
        low=-100,
        high=100,
        series=[Series(_("NPS"), [m.score if m else None for m in found])],
    )
    answers = Chart(
        caption=_("Survey answers by what they say"),
        labels=labels,
        axis_labels=axis,
        series=[
            Series(_("Promoters (9-10)"), [m.promoters if m else 0 for m in found]),
            Series(_("Passives (7-8)"), [m.passives if m else 0 for m in found]),
            Series(_("Detractors (0-6)"), [m.detractors if m else 0 for m in found]),
        ],
    )
    return ReportSection(
        slug="satisfaction",
        title=_("Satisfaction"),
        intro=_(
            "The answers to the survey at the close of each project, by the month they were "
            "given: the share of promoters minus the share of detractors (from -100 to 100), "
            "and how many of each."
        ),
        charts=(("satisfaction-nps", score), ("satisfaction-answers", answers)),
    )


def health_section(workspace: Workspace, period: ReportPeriod) -> ReportSection:
    """P37: the active clients by their relationship health today (not by month)."""
    counts = health_distribution(workspace_id=workspace.pk)
    bands = [f"{low}–{low + 9 if low < 90 else 100}" for low in range(0, 100, 10)]
    chart = Chart(
        caption=_("Active clients by health score"),
        labels=bands,
        series=[Series(_("Clients"), counts)],
    )
    return ReportSection(
        slug="health",
        title=_("Relationship health"),
        intro=_(
            "How many active clients have each health score today, from 0 to 100: below "
            "%(score)s they are on the at-risk list. The score and its signals are on each "
            "client's page."
        )
        % {"score": WATCH_FROM},
        charts=(("health-distribution", chart),),
    )


SECTIONS: list[Build] = [
    responses_section,
    promises_section,
    revenue_section,
    clients_section,
    satisfaction_section,
    health_section,
]


def report_sections(*, workspace: Workspace, period: ReportPeriod) -> list[ReportSection]:
    """Every section of the page, in order, for ``period``."""
    return [build(workspace, period) for build in SECTIONS]
