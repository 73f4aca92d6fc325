"""Editing a milestone, and the question a later due date asks: how does the client know?
(P15, P17, ADR 0016)

A later date is saved only with an answer: a delay notice from Rapport (the page leads to the
delay notice, which tells the client and records the date), told another way with a note
(renegotiated, neutral), or not told (moved without notice, counted as broken).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport.accounts.access import StaffRequest
from rapport.commitments.forms import DateToldForm
from rapport.core.errors import ApplicationError
from rapport.core.form_views import render_form
from rapport.core.forms import form_add_error
from rapport.projects import services
from rapport.projects.access import milestone_or_404
from rapport.projects.forms import MilestoneForm
from rapport.projects.models import Milestone


def _save(
    request: StaffRequest, milestone: Milestone, form: MilestoneForm, told_form: DateToldForm
) -> HttpResponse | None:
    """The answer to a valid POST: a redirect, or None with the refusal on a form."""
    old_due: date = milestone.due_date
    data = form.service_data()
    wanted: date | None = data.get("due_date")
    later = bool(data.get("due_date")) and data["due_date"] > old_due
    if later and not told_form.require_answer():
        return None
    notice = later and told_form.wants_notice()
    if notice:
        # The notice moves the date itself, with the client told; the rest is saved now.
        data["due_date"] = old_due
    try:
        services.milestone_update(
            milestone=milestone,
            actor=request.user,
            told=told_form.client_told() if later else None,
            **data,
        )
    except ApplicationError as exc:
        form_add_error(told_form if exc.field in told_form.fields else form, exc)
        return None
    if notice:
        messages.info(
            request, _("Send the delay notice: it tells the client and records the new date.")
        )
        # The notice opens with the date the provider just typed.
        url = reverse("projects:delay_notice", args=[milestone.pk])
        return redirect(f"{url}?{urlencode({'date': wanted.isoformat()})}" if wanted else url)
    messages.success(request, _("Milestone saved."))
    return redirect("projects:detail", milestone.project_id)


@login_required
def milestone_edit(request: StaffRequest, pk: int) -> HttpResponse:
    milestone = milestone_or_404(request, pk)
    form = MilestoneForm(request.POST or None, instance=milestone, workspace=milestone.workspace_id)
    told_form = DateToldForm(request.POST or None, prefix="date")
    if request.method == "POST" and form.is_valid() and told_form.is_valid():
        answer = _save(request, milestone, form, told_form)
        if answer is not None:
            return answer
    errors = form if form.errors else told_form
    return render_form(
        request,
        "projects/milestone_form.html",
        {
            "form": form,
            "told_form": told_form,
            "milestone": milestone,
            "project": milestone.project,
        },
        form=errors,
    )
