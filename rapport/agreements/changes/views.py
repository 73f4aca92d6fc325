"""Staff pages for change requests (P19): raise, price and date, send to sign, withdraw; and
turning a client's request into one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.agreements.changes import selectors
from rapport.agreements.changes import services as changes
from rapport.agreements.changes.forms import ChangeRequestForm, FromRequestForm
from rapport.agreements.contracts.selectors import signed_contract
from rapport.conversations.models import Request
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404
from rapport.projects.models import ChangeRequest, Project


def _project(request: StaffRequest, pk: int) -> Project:
    return found_or_404(
        Project.objects.for_workspace(workspace_of(request))
        .select_related("client")
        .filter(pk=pk)
        .first()
    )


def _change(request: StaffRequest, pk: int) -> ChangeRequest:
    return found_or_404(selectors.change_for_staff(workspace=workspace_of(request), pk=pk))


@login_required
def change_create(request: StaffRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    form = ChangeRequestForm(request.POST or None, project=project)
    change = form_save(
        request,
        form,
        lambda: changes.change_request_create(
            project=project,
            actor=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            price_impact=form.cleaned_data["price_impact"],
            days_impact=form.cleaned_data["days_impact"],
            milestone=form.cleaned_data["milestone"],
        ),
    )
    if change is not None:
        messages.success(request, _("Change request recorded."))
        return redirect("agreements:change_detail", change.pk)
    context = {"project": project, "form": form, "change": None}
    return render_form(request, "agreements/change_form.html", context)


@login_required
def change_detail(request: StaffRequest, pk: int) -> HttpResponse:
    change = _change(request, pk)
    context = {
        "change": change,
        "project": change.project,
        "contract": signed_contract(change.project),
    }
    return render(request, "agreements/change_detail.html", context)


@login_required
def change_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """The provider states the price and date impact (of a change the client raised)."""
    change = _change(request, pk)
    initial = {
        "title": change.title,
        "description": change.description,
        "price_impact": change.price_impact.normalize() if change.price_impact else "",
        "days_impact": change.days_impact,
        "milestone": change.milestone_id,
    }
    form = ChangeRequestForm(request.POST or None, project=change.project, initial=initial)
    saved = form_save(
        request,
        form,
        lambda: changes.change_request_update(
            change_request=change,
            actor=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            price_impact=form.cleaned_data["price_impact"],
            days_impact=form.cleaned_data["days_impact"],
            milestone=form.cleaned_data["milestone"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Change request saved."))
        return redirect("agreements:change_detail", change.pk)
    context = {"project": change.project, "form": form, "change": change}
    return render_form(request, "agreements/change_form.html", context)


@login_required
@require_POST
def change_send(request: StaffRequest, pk: int) -> HttpResponse:
    change = _change(request, pk)
    try:
        amendment = changes.change_request_send(change_request=change, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("agreements:change_detail", change.pk)
    messages.success(
        request, _("Sent to %(name)s to sign as an amendment.") % {"name": amendment.signer.name}
    )
    return redirect("agreements:change_detail", change.pk)


@login_required
@require_POST
def change_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    change = _change(request, pk)
    try:
        changes.change_request_withdraw(change_request=change, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Change request withdrawn."))
    return redirect("agreements:change_detail", change.pk)


@login_required
@require_POST
def change_from_request(request: StaffRequest, pk: int) -> HttpResponse:
    """Turn a client's request into a change request and close the request with that decision."""
    found = found_or_404(
        Request.objects.for_workspace(workspace_of(request))
        .select_related("client", "contact", "project")
        .filter(pk=pk)
        .first()
    )
    projects = Project.objects.filter(client_id=found.client_id, archived_at__isnull=True)
    form = FromRequestForm(request.POST, projects=projects)
    if not form.is_valid():
        messages.error(request, _("Choose the project the change is for."))
        return redirect("conversations:detail", found.pk)
    try:
        change = changes.change_request_from_request(
            request=found, actor=request.user, project=form.cleaned_data["project"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("conversations:detail", found.pk)
    messages.success(request, _("Turned into a change request: state its price and date impact."))
    return redirect("agreements:change_edit", change.pk)


@login_required
@require_GET
def project_changes(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project page's change requests card (one query), loaded after the page
    (core.sections)."""
    project = project_or_404(request, project_pk, progress=False)
    return render_section(
        request,
        "agreements/change_list_partial.html",
        {"project": project, "changes": selectors.changes_for_project(project=project)},
        back=project,
    )
