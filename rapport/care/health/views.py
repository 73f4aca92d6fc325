"""Staff pages of relationship health (P37, P34): the client's card (loaded after the client
page, ADR 0014) and the at-risk list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.health import score as rules
from rapport.care.health.score import Part
from rapport.care.health.selectors import at_risk_list, client_health
from rapport.care.health.texts import Step, part_name, part_sentence, step_for
from rapport.care.models import ClientHealth
from rapport.clients.access import client_or_404
from rapport.clients.models import Client
from rapport.core.charts import Chart, Series
from rapport.core.pagination import Paginator
from rapport.core.sections import render_section

AT_RISK_PER_PAGE = 25


@dataclass(frozen=True)
class PartRow:
    name: str
    sentence: str
    points: int
    weight: int | None
    neutral: bool

    @property
    def penalty(self) -> int:
        return -self.points if self.weight is None else 0


def part_rows(health: ClientHealth) -> list[PartRow]:
    rows = []
    for stored in health.parts:
        part = Part.from_stored(stored)
        rows.append(
            PartRow(part_name(part), part_sentence(part), part.points, part.weight, part.neutral)
        )
    return rows


@require_GET
@login_required
def client_health_section(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's health card: score, band, each signal's part, the trend (two
    queries)."""
    client = client_or_404(request, client_pk)
    health, points = client_health(workspace_id=workspace_of(request).pk, client_id=client.pk)
    scored = health is not None and health.score is not None
    chart = None
    if scored and points:
        chart = Chart(
            caption=gettext("Health, day by day"),
            labels=[date_format(day, "SHORT_DATE_FORMAT") for day, _score in points],
            series=[Series(gettext("Health"), [value for _day, value in points])],
            kind="line",
            low=0,
            high=100,
        )
    context = {
        "client": client,
        "health": health if scored else None,
        "parts": part_rows(health) if scored and health is not None else [],
        "chart": chart,
        "step": step_for(health.step, client.pk) if scored and health and health.step else None,
        "bands": {"healthy": rules.HEALTHY_FROM, "watch": rules.WATCH_FROM},
    }
    return render_section(request, "care/_health.html", context, back=client)


@dataclass(frozen=True)
class AtRiskRow:
    client: Client
    health: ClientHealth
    stake: Decimal
    step: Step


@require_GET
@login_required
def at_risk(request: StaffRequest) -> HttpResponse:
    """The clients at risk or falling fast, most at stake first, each with its next step (two
    queries: the page and the count)."""
    workspace = workspace_of(request)
    page = Paginator(at_risk_list(workspace_id=workspace.pk), AT_RISK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        AtRiskRow(h.client, h, h.stake, step_for(h.step, h.client_id)) for h in page.object_list
    ]
    context = {
        "page_obj": page,
        "rows": rows,
        "fast_drop": rules.FAST_DROP,
        "watch_from": rules.WATCH_FROM,
    }
    return render(request, "care/at_risk.html", context)
