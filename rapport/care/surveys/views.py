"""Staff pages of the close of a project (P33, P34): a project's survey (send it by hand,
read the answers), the client page's card (loaded after the page), the promotion log's form
and the workspace's survey results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.surveys import selectors
from rapport.care.surveys.consent import promotion_log
from rapport.care.surveys.forms import PromotionForm
from rapport.care.surveys.services import survey_send
from rapport.clients.access import client_or_404
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404


@require_GET
@login_required
def project_survey(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project's survey: whether and when it went out, the figures, each contact's
    answer, the testimonials and the portfolio permissions."""
    project = project_or_404(request, project_pk, progress=False)
    workspace_id = workspace_of(request).pk
    context = {
        "project": project,
        "survey": selectors.project_survey(workspace_id=workspace_id, project_id=project.pk),
        "stats": selectors.project_stats(workspace_id=workspace_id, project_id=project.pk),
        "permissions": selectors.project_permissions(
            workspace_id=workspace_id, project_id=project.pk
        ),
    }
    return render(request, "care/survey_project.html", context)


@require_POST
@login_required
def survey_send_view(request: StaffRequest, project_pk: int) -> HttpResponse:
    """Send the project's survey now."""
    project = project_or_404(request, project_pk, progress=False)
    try:
        survey_send(project=project, actor=request.user)
    except ApplicationError as exc:
        for errors in exc.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The survey is on its way to the client's contacts."))
    return redirect("care:project_survey", project.pk)


@require_GET
@login_required
def client_surveys_section(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's survey card (five queries)."""
    client = client_or_404(request, client_pk)
    card = selectors.client_surveys(workspace_id=workspace_of(request).pk, client_id=client.pk)
    return render_section(
        request, "care/_surveys_client.html", {"client": client, "card": card}, back=client
    )


@login_required
def promotion_new(request: StaffRequest, client_pk: int) -> HttpResponse:
    """Record where and when the client's work or brand was shown, under which permission."""
    client = client_or_404(request, client_pk)
    testimonials, permissions = selectors.client_permission_choices(
        workspace_id=workspace_of(request).pk, client_id=client.pk
    )
    form = PromotionForm(request.POST or None, testimonials=testimonials, permissions=permissions)

    def save() -> object:
        testimonial_id, portfolio_id = form.permission_ids()
        return promotion_log(
            client=client,
            actor=request.user,
            channel=form.cleaned_data["channel"],
            shown_on=form.cleaned_data["shown_on"],
            url=form.cleaned_data["url"],
            note=form.cleaned_data["note"],
            testimonial_id=testimonial_id,
            portfolio_id=portfolio_id,
        )

    if form_save(request, form, save) is not None:
        messages.success(request, _("Recorded in the promotion log."))
        return redirect(f"{client.get_absolute_url()}#surveys")
    return render_form(request, "care/promotion_form.html", {"form": form, "client": client})


@require_GET
@login_required
def survey_results(request: StaffRequest) -> HttpResponse:
    """The workspace's survey results: average satisfaction, NPS, the answers and the
    testimonials with their permission (three queries)."""
    results = selectors.workspace_results(workspace_id=workspace_of(request).pk)
    return render(request, "care/survey_results.html", {"results": results})
