"""The alert centre: what to do today, most urgent and newest first, one click to act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.core.pagination import Paginator
from rapport.notifications import selectors, services
from rapport.notifications.models import Alert


@login_required
def alert_centre(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    state = request.GET.get("state", Alert.State.OPEN)
    if state not in Alert.State.values:
        state = Alert.State.OPEN
    page = Paginator(selectors.alert_list(workspace=workspace, state=state), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/alerts.html",
        {
            "page_obj": page,
            "alerts": page.object_list,
            "state": state,
            "states": Alert.State.choices,
        },
    )


@login_required
@require_POST
def alert_resolve(request: StaffRequest, pk: int) -> HttpResponse:
    alert = found_or_404(selectors.alert_get(workspace=workspace_of(request), pk=pk))
    services.alert_resolve(
        alert=alert, actor=request.user, dismiss=bool(request.POST.get("dismiss"))
    )
    messages.success(
        request, _("Alert dismissed.") if request.POST.get("dismiss") else _("Alert done.")
    )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        return redirect(next_url)
    return redirect("notifications:alerts")
