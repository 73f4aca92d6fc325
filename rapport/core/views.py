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
from rapport.clients.models import Client
from rapport.core.selectors import activity_recent
from rapport.notifications.selectors import alert_list
from rapport.projects.models import Project
from rapport.projects.selectors import milestones_due_soon


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "accounts:login")


@login_required
def dashboard(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    today = timezone.localdate()
    due = list(milestones_due_soon(workspace=workspace, today=today, days=7)[:30])
    context = {
        "today": today,
        "overdue": [m for m in due if m.due_date < today],
        "due_this_week": [m for m in due if m.due_date >= today],
        "activity": activity_recent(workspace=workspace),
        "alerts": alert_list(workspace=workspace)[:8],
        "active_clients": Client.objects.for_workspace(workspace)
        .active()
        .filter(status=Client.Status.ACTIVE)
        .count(),
        "open_projects": Project.objects.for_workspace(workspace)
        .active()
        .filter(status__in=[Project.Status.ACTIVE, Project.Status.ON_HOLD])
        .count(),
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
