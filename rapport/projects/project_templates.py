"""Project templates (the first day): save a project's shape once, start the next one from it.

A template keeps the milestones (title, days from the start to the due date, estimated hours),
their deliverables (title, spec, format: P06), the update cadence (P12) and what is out of
scope. A project made from it gets every milestone dated by its offset from the start date
chosen, owned by the person who made it unless another member is chosen. Nothing else is
copied: no progress, no updates, no history.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Client
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_date
from rapport.projects.models import (
    Milestone,
    Project,
    ProjectTemplate,
    TemplateDeliverable,
    TemplateMilestone,
)
from rapport.projects.services import deliverable_create, milestone_create, project_create
from rapport.projects.writes import set_archived

MAX_OFFSET_DAYS = 3650


def _clean_name(workspace_id: int, name: str, *, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the template a name."), field="name")
    if len(name) > 200:
        raise ApplicationError(_("At most 200 characters."), field="name")
    taken = ProjectTemplate.objects.filter(
        workspace_id=workspace_id, name__iexact=name, archived_at__isnull=True
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ApplicationError(_("A template with this name already exists."), field="name")
    return name


def _check_owner(workspace_id: int, owner: User | None) -> None:
    if owner is not None and not owner.memberships.filter(workspace_id=workspace_id).exists():
        raise ApplicationError(_("The owner must be a member of this workspace."), field="owner")


@transaction.atomic
def template_save_from_project(
    *, project: Project, actor: User | None, name: str
) -> ProjectTemplate:
    """Save ``project``'s current milestones (as days after its start date), their current
    deliverables, its update cadence and its out-of-scope list as a new template named
    ``name`` (unique among the workspace's current templates).

    The project needs a start date, since offsets are counted from it; a milestone due
    before the start is kept at day 0.
    """
    name = _clean_name(project.workspace_id, name)
    if project.start_date is None:
        raise ApplicationError(
            _("Give the project a start date first: the milestones are saved as days after it."),
            field="name",
        )
    template = ProjectTemplate(
        workspace_id=project.workspace_id,
        name=name,
        update_cadence=project.update_cadence,
        update_weekday=project.update_weekday,
        out_of_scope=project.out_of_scope,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:  # the same name saved at the same moment in another tab
        raise ApplicationError(
            _("A template with this name already exists."), field="name"
        ) from None
    milestones = Milestone.objects.filter(project=project, archived_at__isnull=True).order_by(
        "due_date", "id"
    )
    for position, milestone in enumerate(milestones.prefetch_related("deliverables")):
        offset = min(max((milestone.due_date - project.start_date).days, 0), MAX_OFFSET_DAYS)
        step = TemplateMilestone.objects.create(
            workspace_id=project.workspace_id,
            template=template,
            position=position,
            title=milestone.title,
            offset_days=offset,
            estimate_hours=milestone.estimate_hours,
        )
        TemplateDeliverable.objects.bulk_create(
            TemplateDeliverable(
                workspace_id=project.workspace_id,
                milestone=step,
                position=index,
                title=d.title,
                spec=d.spec,
                format=d.format,
            )
            for index, d in enumerate(
                sorted(
                    (d for d in milestone.deliverables.all() if d.archived_at is None),
                    key=lambda d: d.pk,
                )
            )
        )
    return template


@transaction.atomic
def template_rename(*, template: ProjectTemplate, name: str) -> ProjectTemplate:
    """Rename a template (the name stays unique among the workspace's current templates)."""
    name = _clean_name(template.workspace_id, name, exclude=template.pk)
    if name != template.name:
        template.name = name
        template.save(update_fields=["name", "updated_at"])
    return template


@transaction.atomic
def template_archive(*, template: ProjectTemplate, archived: bool = True) -> ProjectTemplate:
    """Archive a template (it leaves the list; projects made from it stay as they are), or
    restore it when its name is still free."""
    if not archived:
        _clean_name(template.workspace_id, template.name, exclude=template.pk)
    set_archived(template, archived)
    return template


@transaction.atomic
def project_create_from_template(
    *,
    template: ProjectTemplate,
    client: Client,
    actor: User | None,
    title: str,
    start_date: date | None,
    owner: User | None = None,
) -> Project:
    """A new project for ``client`` (of the template's workspace) from ``template``: its
    milestones due ``start_date`` + their offsets, owned by ``owner`` (default: ``actor``),
    with their deliverables, the template's update cadence and out-of-scope list; due when
    its last milestone is. Proposed until the provider starts it."""
    if client.workspace_id != template.workspace_id:
        raise ApplicationError(_("Choose one of your clients."), field="client", code="not_found")
    if template.archived_at is not None:
        raise ApplicationError(_("This template is archived."), field="template")
    if start_date is None:
        raise ApplicationError(_("Choose the start date."), field="start_date")
    check_date(start_date, field="start_date")
    owner = owner or actor
    _check_owner(template.workspace_id, owner)
    steps = list(
        template.milestones.order_by("position", "id").prefetch_related(
            Prefetch(
                "deliverables", queryset=TemplateDeliverable.objects.order_by("position", "id")
            )
        )
    )
    last = max((s.offset_days for s in steps), default=None)
    due = start_date + timedelta(days=last) if last is not None else None
    check_date(due, field="start_date")
    project = project_create(
        client=client,
        actor=actor,
        title=title,
        start_date=start_date,
        due_date=due,
        update_cadence=template.update_cadence,
        update_weekday=template.update_weekday,
        out_of_scope=template.out_of_scope,
    )
    for step in steps:
        milestone = milestone_create(
            project=project,
            actor=actor,
            title=step.title,
            due_date=start_date + timedelta(days=step.offset_days),
            estimate_hours=step.estimate_hours,
            owner=owner,
        )
        for item in step.deliverables.all():
            deliverable_create(
                milestone=milestone,
                actor=actor,
                title=item.title,
                spec=item.spec,
                format=item.format,
            )
    timeline_record(
        client=client,
        verb="project.from_template",
        actor=actor,
        subject=project,
        data={"title": project.title, "template": template.name},
    )
    return project
