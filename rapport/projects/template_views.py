"""Staff pages of the project templates (list, rename, archive, "New project from a
template", "Save as template") and of "Duplicate project"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, workspace_of
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.projects import project_templates, selectors
from rapport.projects.access import project_or_404
from rapport.projects.duplicate import project_duplicate as duplicate_service
from rapport.projects.models import ProjectTemplate
from rapport.projects.template_forms import NewProjectForm, TemplateNameForm, TemplateUseForm


def _template_or_404(request: StaffRequest, pk: int) -> ProjectTemplate:
    return found_or_404(selectors.template_get(workspace=workspace_of(request), pk=pk))


@login_required
def template_list(request: StaffRequest) -> HttpResponse:
    """The workspace's templates with their milestones; archived ones with ``?archived=1``."""
    archived = request.GET.get("archived") == "1"
    templates = selectors.template_list(workspace=workspace_of(request), archived=archived)
    return render(
        request, "projects/templates.html", {"templates": templates, "archived": archived}
    )


@login_required
def template_use(request: StaffRequest, pk: int) -> HttpResponse:
    """New project from a template: client, name, start date (today by default), owner."""
    template = _template_or_404(request, pk)
    workspace = workspace_of(request)
    initial = {"title": template.name, "start_date": timezone.localdate()}
    client_id = request.GET.get("client", "")
    if client_id.isdigit():
        initial["client"] = int(client_id)
    form = TemplateUseForm(request.POST or None, workspace=workspace, initial=initial)
    project = form_save(
        request,
        form,
        lambda: project_templates.project_create_from_template(
            template=template,
            client=form.cleaned_data["client"],
            actor=request.user,
            title=form.cleaned_data["title"],
            start_date=form.cleaned_data["start_date"],
            owner=form.cleaned_data["owner"],
        ),
    )
    if project is not None:
        messages.success(request, _("Project created from the template."))
        return redirect("projects:detail", project.pk)
    return render_form(request, "projects/template_use.html", {"form": form, "template": template})


@login_required
@require_POST
def template_rename(request: StaffRequest, pk: int) -> HttpResponse:
    template = _template_or_404(request, pk)
    form = TemplateNameForm(request.POST, prefix=f"t{template.pk}")
    saved = form_save(
        request,
        form,
        lambda: project_templates.template_rename(
            template=template, name=form.cleaned_data["name"]
        ),
    )
    if saved is not None:
        messages.success(request, _("Template renamed."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("projects:templates")


@login_required
@require_POST
def template_archive(request: StaffRequest, pk: int) -> HttpResponse:
    template = _template_or_404(request, pk)
    restore = bool(request.POST.get("restore"))
    try:
        project_templates.template_archive(template=template, archived=not restore)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Template restored.") if restore else _("Template archived."))
    return redirect("projects:templates")


@login_required
def template_save(request: StaffRequest, pk: int) -> HttpResponse:
    """Save as template: the project's milestones, deliverables and cadence, under a name."""
    project = project_or_404(request, pk, progress=False)
    form = TemplateNameForm(request.POST or None, initial={"name": project.title})
    template = form_save(
        request,
        form,
        lambda: project_templates.template_save_from_project(
            project=project, actor=request.user, name=form.cleaned_data["name"]
        ),
    )
    if template is not None:
        messages.success(request, _("Template saved. Start a new project from it here."))
        return redirect("projects:templates")
    return render_form(request, "projects/template_save.html", {"form": form, "project": project})


@login_required
def project_duplicate(request: StaffRequest, pk: int) -> HttpResponse:
    """Duplicate: the same plan for this client or another, from a new start date."""
    project = project_or_404(request, pk, progress=False)
    start = timezone.localdate()
    if project.start_date and project.due_date:
        # Suggest the day after this one ends: a second phase usually follows the first.
        start = max(start, project.due_date + timedelta(days=1))
    initial = {
        "client": project.client_id,
        "title": _("%(title)s (copy)") % {"title": project.title},
        "start_date": start,
    }
    form = NewProjectForm(request.POST or None, workspace=project.workspace, initial=initial)
    copy = form_save(
        request,
        form,
        lambda: duplicate_service(
            project=project,
            client=form.cleaned_data["client"],
            actor=request.user,
            title=form.cleaned_data["title"],
            start_date=form.cleaned_data["start_date"],
        ),
    )
    if copy is not None:
        messages.success(request, _("Project duplicated: dates moved, nothing done yet."))
        return redirect("projects:detail", copy.pk)
    return render_form(request, "projects/duplicate.html", {"form": form, "project": project})
