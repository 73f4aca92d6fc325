"""The delay notice page (P16): the forecast of a milestone, and the notice that tells the
client early, with a new date, why, and what is being done about it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.core.form_views import form_save, render_form
from rapport.projects.access import milestone_or_404
from rapport.projects.delays import delay_notice_send
from rapport.projects.forms import DelayNoticeForm
from rapport.projects.risk import milestone_forecast


@login_required
def delay_notice(request: StaffRequest, milestone_pk: int) -> HttpResponse:
    """The prepared delay notice: new date, reason, plan; sending renegotiates (P16)."""
    milestone = milestone_or_404(request, milestone_pk)
    project = milestone.project
    # The owner's capacity and load, not the viewer's: the owner does the work (P16).
    forecast, _inputs = milestone_forecast(milestone=milestone, workspace=workspace_of(request))
    proposed = forecast.proposed_due_date or milestone.due_date + timedelta(days=7)
    if project.due_date:
        proposed = min(proposed, project.due_date)
    # Coming from the milestone form, the date the provider typed there wins over the forecast.
    typed = parse_date(request.GET.get("date", "") or "") if request.method == "GET" else None
    if typed is not None and typed > milestone.due_date:
        proposed = typed
    initial = {
        "new_due_date": proposed,
        "contacts": list(
            project.client.contacts.filter(archived_at__isnull=True).values_list("pk", flat=True)
        ),
    }
    form = DelayNoticeForm(request.POST or None, initial=initial, client_id=project.client_id)
    renegotiated = form_save(
        request,
        form,
        lambda: delay_notice_send(
            milestone=milestone,
            actor=request.user,
            new_due_date=form.cleaned_data["new_due_date"],
            reason=form.cleaned_data["reason"],
            plan=form.cleaned_data["plan"],
            contacts=list(form.cleaned_data["contacts"]),
        ),
    )
    if renegotiated is not None:
        messages.success(request, _("The client has been told; the new date is recorded."))
        return redirect("projects:detail", project.pk)
    return render_form(
        request,
        "projects/delay_notice.html",
        {"form": form, "milestone": milestone, "project": project, "forecast": forecast},
    )
