"""Staff pages of the decisions log (P36): a project's log and its card on the project page,
recording a recommendation (open, or decided on a call), a decision's page, and recording
the client's decision on an open one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.decisions import selectors
from rapport.care.decisions.access import decision_or_404
from rapport.care.decisions.forms import DecideForm, DecisionForm, decided_at_of
from rapport.care.decisions.services import decision_decide, decision_record
from rapport.care.model_decisions import Decision
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404


@require_GET
@login_required
def project_decisions(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The decisions log of one project, newest first."""
    project = project_or_404(request, project_pk, progress=False)
    decisions = selectors.project_decisions(workspace=workspace_of(request), project_id=project.pk)
    return render(request, "care/decisions.html", {"project": project, "decisions": decisions})


@require_GET
@login_required
def project_decisions_section(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project page's decisions card (the latest few), loaded after the page
    (core.sections)."""
    project = project_or_404(request, project_pk, progress=False)
    rows = selectors.project_decisions(workspace=workspace_of(request), project_id=project.pk)
    decisions = list(rows[: selectors.SECTION_DECISIONS + 1])
    context = {
        "project": project,
        "decisions": decisions[: selectors.SECTION_DECISIONS],
        "more": len(decisions) > selectors.SECTION_DECISIONS,
    }
    return render_section(request, "care/_decisions_section.html", context, back=project)


@login_required
def decision_new(request: StaffRequest, project_pk: int) -> HttpResponse:
    """Record a recommendation with its options: open (the client decides in the portal) or
    already decided on a call."""
    project = project_or_404(request, project_pk, progress=False)
    initial = {"milestone": request.GET.get("milestone") or None}
    form = DecisionForm(
        request.POST or None, initial=initial, client_id=project.client_id, project_id=project.pk
    )
    tz = workspace_of(request).timezone
    decision = form_save(
        request,
        form,
        lambda: decision_record(
            project=project,
            actor=request.user,
            title=form.cleaned_data["title"],
            recommendation=form.cleaned_data["recommendation"],
            options=form.options(),
            recommended=form.cleaned_data["recommended"],
            milestone=form.cleaned_data["milestone"],
            chosen=form.cleaned_data["chosen"],
            decided_by=form.cleaned_data["decided_by"],
            decided_via=form.cleaned_data["decided_via"],
            decided_at=decided_at_of(form.cleaned_data["decided_at"], tz),
            reason=form.cleaned_data["reason"],
            contacts=list(form.cleaned_data["contacts"]),
        ),
    )
    if decision is not None:
        if decision.is_open:
            messages.success(request, _("Recorded; the client can decide it in the portal."))
        else:
            messages.success(request, _("The decision is on record."))
        return redirect("care:decision_detail", decision.pk)
    return render_form(request, "care/decision_form.html", {"form": form, "project": project})


def _detail(
    request: StaffRequest, decision: Decision, *, decide: DecideForm | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "decision": decision,
        "project": decision.project,
        "decide_form": decide or DecideForm(decision=decision),
    }
    failed = decide is not None and bool(decide.errors)
    return render(request, "care/decision_detail.html", context, status=400 if failed else 200)


@require_GET
@login_required
def decision_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, decision_or_404(request, pk))


@require_POST
@login_required
def decision_decide_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Record the client's decision on an open recommendation, told on a call or elsewhere."""
    decision = decision_or_404(request, pk)
    form = DecideForm(request.POST, decision=decision)
    tz = workspace_of(request).timezone
    decided = form_save(
        request,
        form,
        lambda: decision_decide(
            decision=decision,
            option_id=form.cleaned_data["option"],
            contact=form.cleaned_data["decided_by"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
            via=form.cleaned_data["decided_via"],
            decided_at=decided_at_of(form.cleaned_data["decided_at"], tz),
        ),
    )
    if decided is not None:
        messages.success(request, _("The decision is on record."))
        return redirect("care:decision_detail", decision.pk)
    return _detail(request, decision, decide=form)
