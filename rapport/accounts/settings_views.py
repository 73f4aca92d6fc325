"""The Settings page's working time, sender and member capacity (owner only; members see them
read-only). The page itself is ``views.settings_page``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts import workspace_settings
from rapport.accounts.access import StaffRequest, found_or_404, membership_of, workspace_of
from rapport.accounts.forms import (
    SENDER_PREFIX,
    WORKING_TIME_PREFIX,
    CapacityForm,
    SenderForm,
    WorkingTimeForm,
)
from rapport.accounts.selectors import member_find
from rapport.accounts.views import settings_post, settings_render
from rapport.core.errors import ApplicationError
from rapport.core.forms import form_add_error


@login_required
@require_POST
def working_time_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    membership = membership_of(request)

    def action(data: dict[str, Any]) -> str:
        workspace_settings.workspace_working_time_update(
            membership=membership, settings=workspace_settings.WorkingTime(**data)
        )
        return _("Working time saved.")

    form = WorkingTimeForm(request.POST, prefix=WORKING_TIME_PREFIX)
    return settings_post(request, "working_time_form", form, action)


@login_required
@require_POST
def sender_save(request: StaffRequest) -> HttpResponse:
    workspace_of(request)
    membership = membership_of(request)

    def action(data: dict[str, Any]) -> str:
        workspace_settings.workspace_sender_update(
            membership=membership,
            sender_name=data["sender_name"],
            sender_email=data["sender_email"],
        )
        return _("Sender saved.")

    return settings_post(
        request, "sender_form", SenderForm(request.POST, prefix=SENDER_PREFIX), action
    )


@login_required
@require_POST
def member_capacity_save(request: StaffRequest, pk: int) -> HttpResponse:
    # Another workspace's member is not found, whatever the form holds.
    found_or_404(member_find(workspace=workspace_of(request), pk=pk))
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            workspace_settings.member_capacity_set(
                membership=membership_of(request),
                member_id=pk,
                hours=form.cleaned_data["weekly_capacity_hours"],
            )
        except ApplicationError as exc:
            if exc.code == "not_found":
                raise Http404 from exc
            form_add_error(form, exc)
        else:
            messages.success(request, _("Capacity saved."))
            return redirect("accounts:settings")
    return settings_render(request, status=400, capacity_form=form, capacity_member=pk)
