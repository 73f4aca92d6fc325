"""Staff pages for projects, milestones and deliverables."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.clients.access import client_or_404
from rapport.core.form_views import form_save, render_form
from rapport.core.pagination import Paginator
from rapport.projects import selectors, services
from rapport.projects.access import deliverable_or_404, milestone_or_404, project_or_404
from rapport.projects.forms import (
    DeliverableForm,
    MilestoneForm,
    ProgressForm,
    ProjectCreateForm,
    ProjectForm,
)
from rapport.projects.models import Project

PROJECTS_PER_PAGE = 25


@login_required
def project_list(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    status = request.GET.get("status", "")
    if status not in Project.Status.values:
        status = ""
    projects = selectors.project_list(workspace=workspace, status=status)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/list.html",
        {
            "page_obj": page,
            "projects": page.object_list,
            "status": status,
            "statuses": Project.Status.choices,
        },
    )


@login_required
def project_create(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    initial: dict[str, Any] = {"currency": workspace.default_currency}
    client_id = request.GET.get("client", "")
    if client_id.isdigit():
        client = client_or_404(request, int(client_id))
        initial.update(client=client.pk, currency=client.currency)
    form = ProjectCreateForm(request.POST or None, workspace=workspace, initial=initial)
    project = form_save(
        request,
        form,
        lambda: services.project_create(
            client=form.cleaned_data["client"],
            actor=request.user,
            activate_client=form.wants_client_active(),
            **form.service_data(),
        ),
    )
    if project is not None:
        messages.success(request, _("Project created. Now add its milestones."))
        return redirect("projects:detail", project.pk)
    return render_form(request, "projects/form.html", {"form": form})


@login_required
def project_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """The project page: progress, milestones, updates and the "work before deposit" warning.
    The quotes, contracts, change requests and billing panel load after the page, each from
    the app that owns it (ADR 0014)."""
    project = project_or_404(request, pk)
    context = {
        "project": project,
        "milestones": selectors.project_milestone_list(project=project),
        "milestone_form": MilestoneForm(prefix="ms", workspace=project.workspace_id),
        **_project_side(project),
    }
    return render(request, "projects/detail.html", context)


def _project_side(project: Project) -> dict[str, Any]:
    """Updates sent, the next update due and the milestones at risk (fixed query count)."""
    return {
        "updates": selectors.project_updates_recent(project=project),
        "next_update": selectors.project_next_update(project=project),
        "at_risk_ids": selectors.project_milestones_at_risk(project=project),
    }


@login_required
def project_edit(request: StaffRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    form = ProjectForm(request.POST or None, instance=project)
    saved = form_save(
        request,
        form,
        lambda: services.project_update(
            project=project,
            actor=request.user,
            activate_client=form.wants_client_active(),
            **form.service_data(),
        ),
    )
    if saved is not None:
        messages.success(request, _("Project saved."))
        return redirect("projects:detail", project.pk)
    return render_form(request, "projects/form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_archive(request: StaffRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    if request.POST.get("restore"):
        services.project_restore(project=project, actor=request.user)
        messages.success(request, _("Project restored."))
    else:
        services.project_archive(project=project, actor=request.user)
        messages.success(request, _("Project archived."))
    return redirect("projects:detail", project.pk)


@login_required
@require_POST
def milestone_create(request: StaffRequest, project_pk: int) -> HttpResponse:
    project = project_or_404(request, project_pk)
    form = MilestoneForm(request.POST, prefix="ms", workspace=project.workspace_id)
    saved = form_save(
        request,
        form,
        lambda: services.milestone_create(
            project=project, actor=request.user, **form.service_data()
        ),
    )
    if saved is not None and not request.htmx:
        messages.success(request, _("Milestone added."))
        return redirect("projects:detail", project.pk)
    context = {
        "project": project,
        "milestones": selectors.project_milestone_list(project=project),
        "milestone_form": form,
        "at_risk_ids": selectors.project_milestones_at_risk(project=project),
    }
    if request.htmx:
        # Only the milestones section is swapped: the new milestone with an empty form, or the
        # form with its errors (a 200, since htmx swaps only a 2xx answer).
        if saved is not None:
            context["milestone_added"] = saved
            context["milestone_form"] = MilestoneForm(prefix="ms", workspace=project.workspace_id)
        return render(request, "projects/detail.html#milestones", context)
    context |= _project_side(project)
    return render_form(request, "projects/detail.html", context, form=form)


@login_required
@require_POST
def milestone_progress(request: StaffRequest, pk: int) -> HttpResponse:
    """Set a milestone's progress; with htmx only the milestone's card is re-rendered."""
    milestone = milestone_or_404(request, pk)
    form = ProgressForm(request.POST)
    # Saved or refused, the answer is the milestone's card (or the page), with any error.
    form_save(
        request,
        form,
        lambda: services.milestone_update(
            milestone=milestone, actor=request.user, progress=form.cleaned_data["progress"]
        ),
    )
    if not request.htmx:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("projects:detail", milestone.project_id)
    card = selectors.project_milestones(project=milestone.project).filter(pk=milestone.pk).first()
    if card is None:
        # Archived meanwhile (in another tab): its card is no longer on the page, so the whole
        # page is reloaded rather than a card swapped in.
        return HttpResponseClientRedirect(reverse("projects:detail", args=[milestone.project_id]))
    return render(
        request,
        "projects/detail.html#milestone",
        {
            "m": card,
            "project": milestone.project,
            "progress_errors": form.errors.get("progress"),
        },
        status=200,
    )


@login_required
@require_POST
def milestone_archive(request: StaffRequest, pk: int) -> HttpResponse:
    milestone = milestone_or_404(request, pk)
    services.milestone_archive(milestone=milestone, actor=request.user)
    messages.success(request, _("Milestone archived."))
    return redirect("projects:detail", milestone.project_id)


@login_required
def deliverable_create(request: StaffRequest, milestone_pk: int) -> HttpResponse:
    """The "add a deliverable" form of one milestone, and its answer.

    The milestone's card asks for the form with htmx when it is opened and gets it alone;
    without JavaScript the card's link leads to the form on a page of its own.
    """
    milestone = milestone_or_404(request, milestone_pk)
    # Ids of this milestone's own: the form sits in its card beside the other milestones' cards.
    form = DeliverableForm(request.POST or None, prefix="dl", auto_id=f"ms{milestone.pk}-%s")
    if not form.is_bound:
        # The form takes the place of the link that was followed: the focus goes to its start.
        form.fields["title"].widget.attrs["autofocus"] = True
    saved = form_save(
        request,
        form,
        lambda: services.deliverable_create(
            milestone=milestone, actor=request.user, **form.service_data()
        ),
    )
    if saved is not None and request.htmx:
        # The milestone's card comes back with the new deliverable in it, in place of the card
        # (the form asked for the form's own place): no page reload.
        card = selectors.project_milestones(project=milestone.project).filter(pk=milestone.pk)
        context = {
            "m": card.first() or milestone,
            "project": milestone.project,
            "at_risk_ids": selectors.project_milestones_at_risk(project=milestone.project),
        }
        answer = render(request, "projects/detail.html#milestone", context)
        return retarget(answer, f"#milestone-{milestone.pk}")
    if saved is not None:
        messages.success(request, _("Deliverable added."))
        return redirect("projects:detail", milestone.project_id)
    context = {"form": form, "milestone": milestone, "project": milestone.project}
    if request.htmx:
        # htmx swaps only a 2xx answer into the card: the form and its errors come as a 200.
        return render(request, "projects/_deliverable_form.html", context)
    return render_form(request, "projects/deliverable_form.html", context)


@login_required
def deliverable_edit(request: StaffRequest, pk: int) -> HttpResponse:
    deliverable = deliverable_or_404(request, pk)
    form = DeliverableForm(request.POST or None, instance=deliverable)
    saved = form_save(
        request,
        form,
        lambda: services.deliverable_update(
            deliverable=deliverable, actor=request.user, **form.service_data()
        ),
    )
    if saved is not None:
        messages.success(request, _("Deliverable saved."))
        return redirect("projects:detail", deliverable.milestone.project_id)
    return render_form(
        request,
        "projects/deliverable_form.html",
        {
            "form": form,
            "deliverable": deliverable,
            "milestone": deliverable.milestone,
            "project": deliverable.milestone.project,
        },
    )


@login_required
@require_POST
def deliverable_archive(request: StaffRequest, pk: int) -> HttpResponse:
    deliverable = deliverable_or_404(request, pk)
    services.deliverable_archive(deliverable=deliverable, actor=request.user)
    messages.success(request, _("Deliverable archived."))
    return redirect("projects:detail", deliverable.milestone.project_id)
