"""The reports page: the workspace month by month (P34, P37, P15, P10)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.reports.sections import report_sections
from rapport.care.reports.selectors import DEFAULT_PERIOD, PERIODS, report_period


def _length(value: str | None) -> int:
    try:
        length = int(value or DEFAULT_PERIOD)
    except ValueError:
        return DEFAULT_PERIOD
    return length if length in PERIODS else DEFAULT_PERIOD


@require_GET
@login_required
def reports(request: StaffRequest) -> HttpResponse:
    """Every section for the chosen number of months (``?months=``, the last 12 by default)."""
    workspace = workspace_of(request)
    period = report_period(
        workspace=workspace, length=_length(request.GET.get("months")), now=timezone.now()
    )
    context = {
        "period": period,
        "length": len(period.months),
        "periods": PERIODS,
        "sections": report_sections(workspace=workspace, period=period),
    }
    return render(request, "care/reports.html", context)
