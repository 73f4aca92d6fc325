"""Problems in the portal (P20, P22): the client reads what went wrong, its impact and the
plan, and picks an alternative or asks to talk. Every lookup goes through the session's
contact: another client's problem is a 404."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rapport.care.models import Problem
from rapport.care.problems.selectors import client_problems
from rapport.care.problems.services import problem_choose, problem_talk
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.forms import form_add_error
from rapport.portal.views import portal_view


class TalkForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _problem(contact: Contact, pk: int) -> Problem:
    found = (
        client_problems(workspace_id=contact.workspace_id, client_id=contact.client_id)
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _page(
    request: HttpRequest,
    contact: Contact,
    problem: Problem,
    *,
    talk: TalkForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "problem": problem,
        "talk_form": talk or TalkForm(),
        "error": error,
        "chosen_now": request.GET.get("chosen") == "1",
        "talk_now": request.GET.get("talk") == "1",
    }
    return render(request, "portal/problem.html", context, status=status)


@portal_view
def problem(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return _page(request, contact, _problem(contact, pk))


@require_POST
@portal_view
def problem_choose_view(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Pick one alternative; it becomes the fix we commit to. The first choice stands."""
    found = _problem(contact, pk)
    try:
        alternative_id = int(request.POST.get("alternative", ""))
    except ValueError:
        alternative_id = 0
    try:
        problem_choose(problem=found, alternative_id=alternative_id, contact=contact)
    except ApplicationError as exc:
        return _page(request, contact, _problem(contact, pk), error=exc.message, status=400)
    return redirect(reverse("portal:problem", args=[pk]) + "?chosen=1")


@require_POST
@portal_view
def problem_talk_view(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Ask to talk instead of choosing now: a request we acknowledge with a time."""
    found = _problem(contact, pk)
    form = TalkForm(request.POST)
    if form.is_valid():
        try:
            problem_talk(problem=found, contact=contact, message=form.cleaned_data["message"])
        except ApplicationError as exc:
            form_add_error(form, exc)
        else:
            return redirect(reverse("portal:problem", args=[pk]) + "?talk=1")
    return _page(request, contact, _problem(contact, pk), talk=form, status=400)
