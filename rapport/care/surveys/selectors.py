"""Reads of the close of a project (P33, P34): a project's survey, a client's card, the
workspace's results, NPS by month for the reports, and the portal's view of one contact's
surveys and permissions. Each read is a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, DateField, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from rapport.care.model_surveys import (
    PASSIVE_FROM,
    PROMOTER_FROM,
    PortfolioPermission,
    Promotion,
    Survey,
    SurveyAnswer,
    Testimonial,
)
from rapport.care.surveys.links import SURVEY_OPEN_DAYS
from rapport.clients.models import Contact

# The open answers and testimonials the results page lists, newest first.
RESULTS_SHOWN = 100
# What the client card lists of each kind.
CARD_SHOWN = 5


def nps_score(*, promoters: int, detractors: int, answers: int) -> int | None:
    """NPS = % promoters - % detractors, a whole number from -100 to 100 (halves away from
    zero); None without answers."""
    if not answers:
        return None
    value = Decimal(100 * (promoters - detractors)) / answers
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_BANDS = {
    "answers": Count("id"),
    "promoters": Count("id", filter=Q(nps__gte=PROMOTER_FROM)),
    "passives": Count("id", filter=Q(nps__gte=PASSIVE_FROM, nps__lt=PROMOTER_FROM)),
    "detractors": Count("id", filter=Q(nps__lt=PASSIVE_FROM)),
}


@dataclass(frozen=True)
class SurveyStats:
    answers: int
    promoters: int
    passives: int
    detractors: int
    csat: Decimal | None
    """Average satisfaction, one decimal; None without answers."""

    @property
    def nps(self) -> int | None:
        return nps_score(promoters=self.promoters, detractors=self.detractors, answers=self.answers)


def _stats(rows: QuerySet[SurveyAnswer]) -> SurveyStats:
    found = rows.aggregate(csat=Avg("csat"), **_BANDS)
    csat = found["csat"]
    return SurveyStats(
        answers=found["answers"],
        promoters=found["promoters"],
        passives=found["passives"],
        detractors=found["detractors"],
        csat=Decimal(str(csat)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if csat is not None
        else None,
    )


@dataclass(frozen=True)
class NpsMonth:
    month: dt.date
    """The first day of the month."""
    answers: int
    promoters: int
    passives: int
    detractors: int
    score: int | None
    """NPS of the month; None when no answers."""


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def nps_by_month(*, workspace_id: int, start: dt.date, end: dt.date) -> list[NpsMonth]:
    """The NPS of each month from ``start``'s month to ``end``'s, empty months included, in
    the active time zone's months (one query)."""
    first, stop = _month_start(start), _next_month(_month_start(end))
    zone = timezone.get_current_timezone()
    rows = (
        SurveyAnswer.objects.for_workspace(workspace_id)
        .filter(
            answered_at__gte=dt.datetime.combine(first, dt.time.min, zone),
            answered_at__lt=dt.datetime.combine(stop, dt.time.min, zone),
        )
        .annotate(month=TruncMonth("answered_at", output_field=DateField()))
        .values("month")
        .annotate(**_BANDS)
        .order_by("month")
    )
    found: dict[dt.date, dict[str, Any]] = {row["month"]: dict(row) for row in rows}
    months: list[NpsMonth] = []
    month = first
    while month < stop:
        row = found.get(month, {})
        answers = row.get("answers", 0)
        promoters, detractors = row.get("promoters", 0), row.get("detractors", 0)
        months.append(
            NpsMonth(
                month=month,
                answers=answers,
                promoters=promoters,
                passives=row.get("passives", 0),
                detractors=detractors,
                score=nps_score(promoters=promoters, detractors=detractors, answers=answers),
            )
        )
        month = _next_month(month)
    return months


def project_survey(*, workspace_id: int, project_id: int) -> Survey | None:
    """The project's survey with its answers (each with its contact) and testimonials (two
    queries more when there is one)."""
    answers = SurveyAnswer.objects.select_related("contact").order_by("-answered_at", "-id")
    testimonials = Testimonial.objects.select_related("contact", "withdrawn_by").order_by(
        "-given_at", "-id"
    )
    return (
        Survey.objects.filter(workspace_id=workspace_id, project_id=project_id)
        .select_related("requested_by")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .prefetch_related(Prefetch("testimonials", queryset=testimonials))
        .first()
    )


def project_permissions(*, workspace_id: int, project_id: int) -> list[PortfolioPermission]:
    """The project's portfolio permissions, standing first, then the withdrawn ones."""
    return list(
        PortfolioPermission.objects.for_workspace(workspace_id)
        .filter(project_id=project_id)
        .select_related("granted_by", "revoked_by")
        .order_by("revoked_at", "-granted_at", "-id")
    )


def project_stats(*, workspace_id: int, project_id: int) -> SurveyStats:
    return _stats(SurveyAnswer.objects.for_workspace(workspace_id).filter(project_id=project_id))


@dataclass(frozen=True)
class ClientSurveys:
    """The client page's card: the figures, latest answers, testimonials, portfolio
    permissions and promotions."""

    stats: SurveyStats
    answers: list[SurveyAnswer]
    testimonials: list[Testimonial]
    permissions: list[PortfolioPermission]
    promotions: list[Promotion]

    @property
    def is_empty(self) -> bool:
        return not (self.stats.answers or self.testimonials or self.permissions or self.promotions)


def client_surveys(*, workspace_id: int, client_id: int) -> ClientSurveys:
    """The client card (five queries)."""
    answers = SurveyAnswer.objects.for_workspace(workspace_id).filter(client_id=client_id)
    return ClientSurveys(
        stats=_stats(answers),
        answers=list(
            answers.select_related("contact", "project").order_by("-answered_at", "-id")[
                :CARD_SHOWN
            ]
        ),
        testimonials=list(
            Testimonial.objects.for_workspace(workspace_id)
            .filter(client_id=client_id)
            .select_related("contact", "project")
            .order_by("withdrawn_at", "-given_at", "-id")[:CARD_SHOWN]
        ),
        permissions=list(
            PortfolioPermission.objects.for_workspace(workspace_id)
            .filter(client_id=client_id)
            .select_related("project", "granted_by", "revoked_by")
            .order_by("revoked_at", "-granted_at", "-id")[:CARD_SHOWN]
        ),
        promotions=list(
            Promotion.objects.for_workspace(workspace_id)
            .filter(client_id=client_id)
            .select_related("testimonial__contact", "portfolio__project")
            .order_by("-shown_on", "-id")[:CARD_SHOWN]
        ),
    )


def client_permission_choices(
    *, workspace_id: int, client_id: int
) -> tuple[list[Testimonial], list[PortfolioPermission]]:
    """Every testimonial and portfolio permission of the client, withdrawn ones too (a past
    showing may have been under one since withdrawn): the promotion form's choices."""
    testimonials = list(
        Testimonial.objects.for_workspace(workspace_id)
        .filter(client_id=client_id)
        .select_related("contact")
        .order_by("-given_at", "-id")
    )
    permissions = list(
        PortfolioPermission.objects.for_workspace(workspace_id)
        .filter(client_id=client_id)
        .select_related("project")
        .order_by("-granted_at", "-id")
    )
    return testimonials, permissions


@dataclass(frozen=True)
class WorkspaceResults:
    stats: SurveyStats
    answers: list[SurveyAnswer]
    testimonials: list[Testimonial]


def workspace_results(*, workspace_id: int) -> WorkspaceResults:
    """The survey results page (three queries): the figures of all answers, the latest
    answers with their client, project and contact, the testimonials with their state."""
    answers = SurveyAnswer.objects.for_workspace(workspace_id)
    return WorkspaceResults(
        stats=_stats(answers),
        answers=list(
            answers.select_related("contact", "project", "client").order_by("-answered_at", "-id")[
                :RESULTS_SHOWN
            ]
        ),
        testimonials=list(
            Testimonial.objects.for_workspace(workspace_id)
            .select_related("contact", "client", "project")
            .order_by("withdrawn_at", "-given_at", "-id")[:RESULTS_SHOWN]
        ),
    )


# The portal: one contact's view, scoped to their client.


def contact_open_surveys(*, contact: Contact, now: dt.datetime) -> list[Survey]:
    """The client's surveys still open (sent in the last ``SURVEY_OPEN_DAYS``), each with
    this contact's answer in ``mine`` (a list of at most one), newest first (two queries)."""
    return list(
        Survey.objects.filter(
            workspace_id=contact.workspace_id,
            client_id=contact.client_id,
            sent_at__gte=now - dt.timedelta(days=SURVEY_OPEN_DAYS),
        )
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "answers", queryset=SurveyAnswer.objects.filter(contact=contact), to_attr="mine"
            )
        )
        .order_by("-sent_at", "-id")
    )


def contact_survey(*, contact: Contact, pk: int) -> Survey | None:
    """One sent survey of the contact's client, or None."""
    return (
        Survey.objects.filter(
            workspace_id=contact.workspace_id,
            client_id=contact.client_id,
            pk=pk,
            sent_at__isnull=False,
        )
        .select_related("project", "client")
        .first()
    )


def contact_survey_answer(*, contact: Contact, survey: Survey) -> SurveyAnswer | None:
    return SurveyAnswer.objects.filter(survey=survey, contact=contact).first()


def contact_testimonial(*, contact: Contact, survey: Survey) -> Testimonial | None:
    """The contact's standing testimonial given with ``survey``."""
    return Testimonial.objects.filter(
        survey=survey, contact=contact, withdrawn_at__isnull=True
    ).first()


def client_standing_portfolio(*, contact: Contact, project_id: int) -> PortfolioPermission | None:
    return PortfolioPermission.objects.filter(
        client_id=contact.client_id, project_id=project_id, revoked_at__isnull=True
    ).first()


def contact_permissions(*, contact: Contact) -> tuple[list[Testimonial], list[PortfolioPermission]]:
    """What the client allowed us and has not withdrawn: testimonials and portfolio
    permissions of the contact's client (two queries)."""
    testimonials = list(
        Testimonial.objects.filter(
            workspace_id=contact.workspace_id,
            client_id=contact.client_id,
            withdrawn_at__isnull=True,
        )
        .select_related("contact", "project")
        .order_by("-given_at", "-id")
    )
    permissions = list(
        PortfolioPermission.objects.filter(
            workspace_id=contact.workspace_id,
            client_id=contact.client_id,
            revoked_at__isnull=True,
        )
        .select_related("project", "granted_by")
        .order_by("-granted_at", "-id")
    )
    return testimonials, permissions


def contact_testimonial_get(*, contact: Contact, pk: int) -> Testimonial | None:
    return Testimonial.objects.filter(
        workspace_id=contact.workspace_id, client_id=contact.client_id, pk=pk
    ).first()


def contact_portfolio_get(*, contact: Contact, pk: int) -> PortfolioPermission | None:
    return (
        PortfolioPermission.objects.filter(
            workspace_id=contact.workspace_id, client_id=contact.client_id, pk=pk
        )
        .select_related("project")
        .first()
    )
