"""The progress update page (P12, P29): the provider's note, a preview of the message each
contact receives in their own language, and a send that checks the figures first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rapport.accounts.access import StaffRequest
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.forms import form_add_error
from rapport.projects.access import project_or_404
from rapport.projects.forms import UpdateForm
from rapport.projects.models import Project
from rapport.projects.updates import (
    UpdateFacts,
    UpdateFiguresChanged,
    update_facts,
    update_figures,
    update_previews,
    update_send,
)


def _with_client(project: Project, contacts: list[Contact]) -> list[Contact]:
    # A contact's language and time zone fall back to its client's: the project's, already read.
    for contact in contacts:
        contact.client = project.client
    return contacts


@login_required
def update_compose(request: StaffRequest, pk: int) -> HttpResponse:
    """Write a note, preview it per contact, send it (or "no big news" in one click).

    The form carries the figures the page showed; when they changed by the time of sending,
    the page lists what changed and nothing is sent until the provider sends again.
    """
    project = project_or_404(request, pk)
    facts = update_facts(project=project)
    active = _with_client(
        project, list(project.client.contacts.filter(archived_at__isnull=True).order_by("name"))
    )
    data = request.POST.copy() if request.method == "POST" else None
    form = UpdateForm(
        data,
        initial={"contacts": [c.pk for c in active], "figures": update_figures(facts)},
        client_id=project.client_id,
    )
    no_big_news = bool(request.POST.get("no_big_news"))
    changes: list[str] = []
    if data is not None and "preview" not in data and form.is_valid():
        try:
            update_send(
                project=project,
                actor=request.user,
                contacts=list(form.cleaned_data["contacts"]),
                body=form.cleaned_data["body"],
                no_big_news=no_big_news,
                figures=form.cleaned_data["figures"],
            )
        except UpdateFiguresChanged as exc:
            changes = exc.changes
            # The page now shows today's figures; sending again confirms them.
            data["figures"] = exc.figures
            form = UpdateForm(data, client_id=project.client_id)
        except ApplicationError as exc:
            form_add_error(form, exc)
        else:
            messages.success(request, _("Update sent."))
            return redirect("projects:detail", project.pk)
    return _page(request, project, facts, form, active, changes, no_big_news)


def _page(
    request: StaffRequest,
    project: Project,
    facts: UpdateFacts,
    form: UpdateForm,
    active: list[Contact],
    changes: list[str],
    no_big_news: bool,
) -> HttpResponse:
    chosen = active
    body = ""
    if form.is_bound and form.is_valid():
        picked = {c.pk for c in form.cleaned_data["contacts"]}
        chosen = [c for c in active if c.pk in picked]
        body = form.cleaned_data["body"]
    previews = update_previews(
        project=project,
        facts=facts,
        contacts=chosen,
        body=body or _("(your note)"),
        no_big_news=no_big_news,
    )
    status = 409 if changes else (400 if form.errors else 200)
    context = {
        "form": form,
        "project": project,
        "facts": facts,
        "previews": previews,
        "changes": changes,
    }
    return render(request, "projects/update_form.html", context, status=status)
