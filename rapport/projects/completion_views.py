"""Marking a milestone done: at once when nothing is pending, after a confirm step listing the
pending deliverables otherwise, with the offer to tell the client (``projects.completion``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest
from rapport.core.form_views import form_save, render_form
from rapport.projects import services
from rapport.projects.access import milestone_or_404
from rapport.projects.completion import milestone_done_with_pending, milestone_pending_deliverables
from rapport.projects.forms import MilestoneDoneForm


@login_required
@require_POST
def milestone_complete(request: StaffRequest, pk: int) -> HttpResponse:
    milestone = milestone_or_404(request, pk)
    pending = [] if milestone.is_done else milestone_pending_deliverables(milestone=milestone)
    done_message = _("Milestone “%(title)s” done.") % {"title": milestone.title}
    if not pending:
        services.milestone_complete(milestone=milestone, actor=request.user)
        messages.success(request, done_message)
        return redirect("projects:detail", milestone.project_id)
    # The "Mark done" button posts without "confirmed": the answer is the question.
    confirmed = request.POST.get("confirmed") == "1"
    form = MilestoneDoneForm(
        request.POST if confirmed else None, client_id=milestone.project.client_id
    )
    saved = form_save(
        request,
        form,
        lambda: milestone_done_with_pending(
            milestone=milestone,
            actor=request.user,
            contacts=list(form.cleaned_data["contacts"]),
            note=form.cleaned_data["note"],
        ),
    )
    if saved is not None:
        told = len(form.cleaned_data["contacts"])
        messages.success(request, done_message)
        if told:
            messages.info(request, _("The client will be told what is still to come."))
        return redirect("projects:detail", milestone.project_id)
    return render_form(
        request,
        "projects/milestone_done.html",
        {"form": form, "milestone": milestone, "project": milestone.project, "pending": pending},
    )
