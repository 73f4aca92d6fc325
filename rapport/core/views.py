"""The dashboard, the language switch and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.accounts.models import User
from rapport.core.selectors import (
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
    return render(request, "core/dashboard.html", context)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in provider keeps it as their preference."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        user = request.user
        if isinstance(user, User) and user.language != language:
            user.language = language
            user.save(update_fields=["language"])
    return response


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
