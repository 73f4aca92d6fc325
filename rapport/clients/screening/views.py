"""The lead screening page (P01-P04): checklist, notes, conflicts, capacity, decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, membership_of, workspace_of
from rapport.clients.access import client_or_404
from rapport.clients.models import ScreeningAnswer
from rapport.clients.screening import selectors, services
from rapport.clients.screening.forms import DecideForm, QuestionForm
from rapport.core.errors import ApplicationError


def _proposed(request: StaffRequest) -> tuple[Decimal | None, dt.date | None, dt.date | None]:
    """The work being considered, from the query string (hours, start, due)."""
    try:
        hours = Decimal(request.GET.get("hours", "") or "0") or None
        start = dt.date.fromisoformat(request.GET["start"]) if request.GET.get("start") else None
        due = dt.date.fromisoformat(request.GET["due"]) if request.GET.get("due") else None
    except (InvalidOperation, ValueError):
        return None, None, None
    if hours is not None and not Decimal(0) < hours <= Decimal(100000):
        return None, start, due
    return hours, start, due


@login_required
def screening_page(request: StaffRequest, pk: int) -> HttpResponse:
    client = client_or_404(request, pk)
    workspace = workspace_of(request)
    questions = selectors.checklist(workspace)
    screening = selectors.screening_get(client=client)
    if request.method == "POST":
        answers = {
            q.pk: (request.POST.get(f"q{q.pk}", "unsure"), request.POST.get(f"n{q.pk}", ""))
            for q in questions
        }
        try:
            services.screening_save(
                client=client,
                actor=request.user,
                answers=answers,
                past_experience=request.POST.get("past_experience", ""),
                stakes=request.POST.get("stakes", ""),
                notes=request.POST.get("notes", ""),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Screening saved."))
        return redirect("clients:screening", client.pk)
    given = selectors.screening_answers(screening=screening)
    rows = [(q, given.get(q.pk)) for q in questions]
    hours, start, due = _proposed(request)
    contact = client.contacts.filter(archived_at__isnull=True).first()
    decide_form = DecideForm(
        client=client,
        initial={
            "contact": contact.pk if contact else None,
            "message": screening.decline_message
            or (services.decline_message_default(contact, workspace.name) if contact else ""),
        },
    )
    context = {
        "client": client,
        "screening": screening,
        "rows": rows,
        "red_flags": sum(1 for _q, a in rows if a is not None and a.is_red_flag),
        "conflicts": selectors.conflicts_for(client),
        "proposed": {"hours": hours, "start": start, "due": due},
        "decide_form": decide_form,
        "answer_choices": ScreeningAnswer.Answer.choices,
    }
    return render(request, "clients/screening.html", context)


@login_required
@require_POST
def screening_decide(request: StaffRequest, pk: int) -> HttpResponse:
    client = client_or_404(request, pk)
    form = DecideForm(request.POST, client=client)
    if not form.is_valid():
        messages.error(request, _("Choose take or decline."))
        return redirect("clients:screening", client.pk)
    try:
        services.screening_decide(
            client=client,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            contact=form.cleaned_data["contact"],
            message=form.cleaned_data["message"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("clients:screening", client.pk)
    messages.success(request, _("Decision recorded."))
    return redirect("clients:detail", client.pk)


@login_required
@require_POST
def question_add(request: StaffRequest) -> HttpResponse:
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(
                membership=membership_of(request),
                text=form.cleaned_data["text"],
                red_flag=form.cleaned_data["red_flag"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Question added."))
    else:
        messages.error(request, _("Write the question."))
    return redirect("accounts:settings")


@login_required
@require_POST
def question_remove(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        services.question_remove(membership=membership_of(request), question_id=pk)
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
    return redirect("accounts:settings")
