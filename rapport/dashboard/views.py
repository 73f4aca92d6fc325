"""The dashboard, and the site's root that leads to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, membership_of, workspace_of
from rapport.accounts.workspace_settings import workspace_checklist_hide
from rapport.core.errors import ApplicationError
from rapport.core.sections import render_section
from rapport.dashboard.checklist import first_day_checklist
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
        "checklist": first_day_checklist(workspace=workspace),
        "is_owner": membership_of(request).is_owner,
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


@login_required
@require_POST
def checklist_hide(request: StaffRequest) -> HttpResponse:
    """The owner puts the first-day checklist away; a member is told only the owner can."""
    workspace_of(request)
    try:
        workspace_checklist_hide(membership=membership_of(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard")
    messages.success(request, _("The checklist is hidden."))
    return redirect("dashboard")
