"""The dashboard, and the site's root that leads to it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.core.sections import render_section
from rapport.dashboard.selectors import (
    activity_recent,
    alerts_open,
    milestones_due,
    workspace_counts,
)


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "accounts:login")


@login_required
def dashboard(request: StaffRequest) -> HttpResponse:
    """What to do today and what is due; the recent activity loads after the page."""
    workspace = workspace_of(request)
    today = timezone.localdate()
    due = milestones_due(workspace=workspace, today=today, days=7)
    counts = workspace_counts(workspace=workspace)
    context = {
        "today": today,
        "overdue": [m for m in due if m.due_date < today],
        "due_this_week": [m for m in due if m.due_date >= today],
        "alerts": alerts_open(workspace=workspace),
        "active_clients": counts.active_clients,
        "open_projects": counts.open_projects,
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
@require_GET
def activity(request: StaffRequest) -> HttpResponse:
    """The dashboard's recent activity (one query), loaded after the page (core.sections)."""
    context = {"activity": activity_recent(workspace=workspace_of(request))}
    return render_section(
        request, "dashboard/_activity.html", context, back=(_("Dashboard"), reverse("dashboard"))
    )
