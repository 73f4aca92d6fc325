"""The dashboard, and the site's root that leads to it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from rapport.accounts.access import StaffRequest, workspace_of
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
    workspace = workspace_of(request)
    today = timezone.localdate()
    due = milestones_due(workspace=workspace, today=today, days=7)
    counts = workspace_counts(workspace=workspace)
    context = {
        "today": today,
        "overdue": [m for m in due if m.due_date < today],
        "due_this_week": [m for m in due if m.due_date >= today],
        "activity": activity_recent(workspace=workspace),
        "alerts": alerts_open(workspace=workspace),
        "active_clients": counts.active_clients,
        "open_projects": counts.open_projects,
    }
    return render(request, "dashboard/dashboard.html", context)
