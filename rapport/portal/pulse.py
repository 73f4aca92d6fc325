"""The pulse in the portal (P23): the page a face in an update email opens, and the five faces
on the portal home.

A link scanner in the client's mail system may open every link of an email. So opening a
face's link records nothing: the page holds the chosen face in a form that the browser sends at
once, and shows it as a button where the script does not run or the browser says it is driven
by automation (ADR 0033). The answer is written by ``care.pulse.services.pulse_answer``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rapport.care.models import PulseAnswer
from rapport.care.pulse.selectors import contact_answer
from rapport.care.pulse.services import COMMENT_MAX, pulse_answer
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save
from rapport.core.forms import form_add_error
from rapport.portal import access, selectors
from rapport.portal.views import _in_language, portal_view
from rapport.projects.models import Project, ProjectUpdate
from rapport.projects.pulse_links import FACES, faces


class PulseForm(forms.Form):
    """The face (checked by the service, which names ``score``) and an optional comment."""

    score = forms.CharField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/pulse_invalid.html", status=404)


def pulse_link(request: HttpRequest, token: str, score: int | None = None) -> HttpResponse:
    """The page of a pulse link: GET shows the faces (with ``score`` chosen, sent at once by
    the page's script); POST records the answer and comes back to the page, which thanks."""
    target = access.pulse_link_target(token)
    if target is None:
        return _invalid(request)
    contact, update = target
    if score is not None and score not in FACES:
        score = None

    def page() -> HttpResponse:
        answer = contact_answer(contact=contact, update=update)
        form = PulseForm(
            request.POST or None, initial={"comment": answer.comment if answer else ""}
        )
        saved = form_save(
            request,
            form,
            lambda: pulse_answer(
                contact=contact,
                update=update,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                source=PulseAnswer.Source.EMAIL,
            ),
        )
        if saved is not None:
            return redirect(f"{reverse('portal:pulse', args=[token])}?saved=1")
        context: dict[str, Any] = {
            "contact": contact,
            "client": contact.client,
            "workspace_name": contact.client.workspace.name,
            "update": update,
            "view_token": token,
            "answer": answer,
            "chosen": score,
            "chosen_face": FACES.get(score or 0, ""),
            "faces": faces(),
            "form": form,
            "saved": request.GET.get("saved") == "1" and answer is not None,
        }
        status = 400 if form.errors else 200
        return render(request, "portal/pulse.html", context, status=status)

    return _in_language(contact.effective_language, page, contact.effective_timezone)


@require_POST
@portal_view
def pulse_answer_view(request: HttpRequest, contact: Contact) -> HttpResponse:
    """A face pressed on the portal home: about the update or project the form names, which
    must be the contact's own client's (else 404)."""
    update: ProjectUpdate | None = None
    project: Project | None = None
    if request.POST.get("update"):
        update = selectors.portal_update_get(contact=contact, pk=_int(request.POST["update"]))
        if update is None:
            raise Http404
    elif request.POST.get("project"):
        project = selectors.portal_project_get(contact=contact, pk=_int(request.POST["project"]))
        if project is None:
            raise Http404
    form = PulseForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(str(_("Check the comment.")), field="comment")
        pulse_answer(
            contact=contact,
            update=update,
            project=project,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            source=PulseAnswer.Source.PORTAL,
        )
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        form_add_error(form, exc)
        context = {
            "contact": contact,
            "client": contact.client,
            "workspace_name": contact.client.workspace.name,
            "form": form,
            **selectors.portal_home_pulse(contact=contact),
        }
        return render(request, "portal/pulse_error.html", context, status=400)
    return redirect(f"{reverse('portal:home')}?pulse=saved#pulse")


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
