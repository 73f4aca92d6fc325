"""Staff pages of the expert directory (P32): the list by skill, an expert's page with the
recommendations made, the form, archive and restore; and the recommendations of a client
(the client page's card, a new one, its outcome)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.experts import selectors
from rapport.care.experts.access import expert_or_404, recommendation_or_404
from rapport.care.experts.forms import ExpertForm, OutcomeForm, RecommendationForm
from rapport.care.experts.services import (
    expert_archive,
    expert_create,
    expert_restore,
    expert_update,
    recommendation_outcome,
    recommendation_record,
)
from rapport.clients.access import client_or_404
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section


@require_GET
@login_required
def experts(request: StaffRequest) -> HttpResponse:
    """The directory: by name, filtered by a skill or a search; the archived on request."""
    workspace_id = workspace_of(request).pk
    skill = request.GET.get("skill", "")[:50]
    query = request.GET.get("q", "")[:100]
    archived = request.GET.get("archived") == "1"
    rows = selectors.experts_list(
        workspace_id=workspace_id, skill=skill, query=query, archived=archived
    )
    context = {
        "experts": rows,
        "skills": selectors.expert_skills(workspace_id=workspace_id),
        "skill": skill.strip().lower(),
        "q": query,
        "archived": archived,
    }
    return render(request, "care/experts.html", context)


@login_required
def expert_new(request: StaffRequest) -> HttpResponse:
    form = ExpertForm(request.POST or None)
    expert = form_save(
        request, form, lambda: expert_create(workspace=workspace_of(request), **form.cleaned_data)
    )
    if expert is not None:
        messages.success(request, _("The expert is in your directory."))
        return redirect(expert)
    return render_form(request, "care/expert_form.html", {"form": form, "expert": None})


@login_required
def expert_edit(request: StaffRequest, pk: int) -> HttpResponse:
    expert = expert_or_404(request, pk)
    form = ExpertForm(request.POST or None, initial=ExpertForm.initial_of(expert))
    saved = form_save(request, form, lambda: expert_update(expert=expert, **form.cleaned_data))
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect(saved)
    return render_form(request, "care/expert_form.html", {"form": form, "expert": expert})


@require_GET
@login_required
def expert_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """An expert's card and the clients they were recommended to, with the outcomes."""
    expert = expert_or_404(request, pk)
    rows = selectors.expert_recommendations(
        workspace_id=workspace_of(request).pk, expert_id=expert.pk
    )
    context = {
        "expert": expert,
        "recommendations": list(rows[: selectors.EXPERT_RECOMMENDATIONS]),
    }
    return render(request, "care/expert_detail.html", context)


@require_POST
@login_required
def expert_archive_view(request: StaffRequest, pk: int) -> HttpResponse:
    expert = expert_archive(expert=expert_or_404(request, pk))
    messages.success(request, _("Archived; the recommendations stay on record."))
    return redirect(expert)


@require_POST
@login_required
def expert_restore_view(request: StaffRequest, pk: int) -> HttpResponse:
    expert = expert_restore(expert=expert_or_404(request, pk))
    messages.success(request, _("Restored to the directory."))
    return redirect(expert)


@require_GET
@login_required
def client_recommendations_section(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's card of experts recommended to them (one query)."""
    client = client_or_404(request, client_pk)
    rows = selectors.client_recommendations(
        workspace_id=workspace_of(request).pk, client_id=client.pk
    )
    shown = list(rows[: selectors.SECTION_RECOMMENDATIONS + 1])
    context = {
        "client": client,
        "recommendations": shown[: selectors.SECTION_RECOMMENDATIONS],
        "more": len(shown) > selectors.SECTION_RECOMMENDATIONS,
    }
    return render_section(request, "care/_recommendations.html", context, back=client)


@login_required
def recommendation_new(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Log an expert recommended to this client, and optionally send it to a contact."""
    client = client_or_404(request, client_pk)
    initial: dict[str, Any] = {"expert": request.GET.get("expert") or None}
    form = RecommendationForm(request.POST or None, initial=initial, client=client)
    saved = form_save(
        request,
        form,
        lambda: recommendation_record(
            client=client,
            expert=form.cleaned_data["expert"],
            contact=form.cleaned_data["contact"],
            reason=form.cleaned_data["reason"],
            recommended_on=form.cleaned_data["recommended_on"],
            send=form.cleaned_data["send"],
            actor=request.user,
        ),
    )
    if saved is not None:
        if saved.sent_at is not None:
            messages.success(request, _("Recorded; the recommendation is on its way."))
        else:
            messages.success(request, _("The recommendation is on record."))
        return redirect("clients:detail", client.pk)
    return render_form(request, "care/recommendation_form.html", {"form": form, "client": client})


@login_required
def recommendation_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """Record how a recommendation went, as it becomes known."""
    recommendation = recommendation_or_404(request, pk)
    form = OutcomeForm(
        request.POST or None,
        initial={
            "outcome": recommendation.outcome,
            "outcome_note": recommendation.outcome_note,
        },
    )
    saved = form_save(
        request,
        form,
        lambda: recommendation_outcome(
            recommendation=recommendation,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["outcome_note"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect(saved.expert)
    context = {"form": form, "recommendation": recommendation}
    return render_form(request, "care/recommendation_edit.html", context)
