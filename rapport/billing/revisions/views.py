"""Staff pages for revision rounds (P08): a deliverable's rounds, logging one, sending the
estimate of a billable round, marking a round done with its hours."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.billing.revisions import selectors, services
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.forms import DateInput
from rapport.projects.access import deliverable_or_404
from rapport.projects.models import RevisionRound


class RoundForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What to change"), widget=forms.Textarea(attrs={"rows": 3})
    )
    estimate_hours = forms.CharField(
        label=gettext_lazy("Estimated hours"),
        required=False,
        help_text=gettext_lazy("Needed once the free rounds are used: the client accepts it."),
    )


class EstimateForm(forms.Form):
    estimate_hours = forms.CharField(label=gettext_lazy("Estimated hours"))


class DoneForm(forms.Form):
    hours = forms.CharField(label=gettext_lazy("Hours spent"), required=False)
    worked_on = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DateInput())


def _round_or_404(request: StaffRequest, pk: int) -> RevisionRound:
    return found_or_404(selectors.round_get(workspace=workspace_of(request), pk=pk))


@login_required
def deliverable_revisions(request: StaffRequest, pk: int) -> HttpResponse:
    """The rounds of one deliverable; POST logs a new round."""
    deliverable = deliverable_or_404(request, pk)
    form = RoundForm(request.POST or None)
    round_ = form_save(
        request,
        form,
        lambda: services.revision_round_log(
            deliverable=deliverable, actor=request.user, **form.cleaned_data
        ),
    )
    if round_ is not None:
        if round_.billable:
            messages.success(
                request, _("Billable round logged: the client is asked to accept the cost.")
            )
        else:
            messages.success(request, _("Revision round logged."))
        return redirect("billing:revisions", deliverable.pk)
    rounds = list(selectors.deliverable_rounds(deliverable=deliverable))
    used = sum(1 for r in rounds if r.status != RevisionRound.Status.DECLINED)
    context = {
        "deliverable": deliverable,
        "project": deliverable.milestone.project,
        "rounds": rounds,
        "used": used,
        "next_is_billable": used >= deliverable.revision_free_rounds,
        "form": form,
        "estimate_form": EstimateForm(),
        "done_form": DoneForm(),
    }
    return render_form(request, "billing/revisions.html", context)


@login_required
@require_POST
def revision_estimate(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(request, pk)
    try:
        services.revision_round_estimate(
            round_=round_, actor=request.user, estimate_hours=request.POST.get("estimate_hours")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Estimate sent to the client to accept."))
    return redirect("billing:revisions", round_.deliverable_id)


@login_required
@require_POST
def revision_done(request: StaffRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(request, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("billing:revisions", round_.deliverable_id)
    try:
        services.revision_round_done(
            round_=round_,
            actor=request.user,
            hours=form.cleaned_data["hours"],
            worked_on=form.cleaned_data["worked_on"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Round marked done."))
    return redirect("billing:revisions", round_.deliverable_id)
