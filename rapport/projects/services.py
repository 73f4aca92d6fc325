"""Writes for projects and milestones (deliverables: ``projects.deliverables``, re-exported
here). Each write leaves a timeline event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Client
from rapport.clients.services import client_activate
from rapport.commitments.services import ClientTold, milestone_commitment_sync
from rapport.core.errors import ApplicationError
from rapport.core.formatting import date_text
from rapport.core.services import model_assign, model_validate
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_currency, check_date
from rapport.projects.cadence import update_commitment_ensure
from rapport.projects.deliverables import (
    deliverable_archive,
    deliverable_create,
    deliverable_restore,
    deliverable_update,
)
from rapport.projects.models import Milestone, Project
from rapport.projects.signals import project_delivered, project_reopened
from rapport.projects.writes import refuse_unknown, set_archived

PROJECT_FIELDS = (
    "title",
    "goal",
    "start_date",
    "due_date",
    "budget",
    "estimated_hours",
    "currency",
    "status",
    "out_of_scope",
    "update_cadence",
    "update_weekday",
)
MILESTONE_FIELDS = (
    "title",
    "start_date",
    "due_date",
    "progress",
    "status",
    "estimate_hours",
    "owner",
)
MAX_BUDGET = Decimal("1000000000")


def _project_clean(project: Project) -> None:
    project.title = project.title.strip()
    project.currency = (project.currency or "").upper()
    check_currency(project.currency)
    if project.budget is not None and not (Decimal(0) <= project.budget < MAX_BUDGET):
        raise ApplicationError(_("The budget must be between 0 and 999,999,999."), field="budget")
    if project.estimated_hours is not None and not 0 <= project.estimated_hours <= 100000:
        raise ApplicationError(
            _("Estimated hours must be between 0 and 100,000."), field="estimated_hours"
        )
    check_date(project.start_date, field="start_date")
    check_date(project.due_date, field="due_date")
    if project.start_date and project.due_date and project.due_date < project.start_date:
        raise ApplicationError(_("The due date cannot be before the start date."), field="due_date")
    if project.pk and project.due_date:
        late = (
            Milestone.objects.filter(
                project=project, archived_at__isnull=True, due_date__gt=project.due_date
            )
            .order_by("-due_date")
            .first()
        )
        if late is not None:
            raise ApplicationError(
                _("Milestone “%(title)s” is due %(date)s, after this due date; move it first.")
                % {"title": late.title, "date": date_text(late.due_date)},
                field="due_date",
            )
    model_validate(project, exclude=["workspace", "client"])


def _client_activate_on_start(project: Project, actor: User | None, confirmed: bool) -> None:
    # A lead becomes a client when work starts, but only when the provider said so: a lead may
    # have a project under way for a trial or a favour without being a client yet.
    if confirmed and project.status == Project.Status.ACTIVE and project.archived_at is None:
        client_activate(client=project.client, actor=actor)


@transaction.atomic
def project_create(
    *, client: Client, actor: User | None, activate_client: bool = False, **data: Any
) -> Project:
    """Create a project for ``client`` (currency defaults to the client's). With
    ``activate_client`` (the provider confirmed it) an active project makes a lead or past
    client active, in the same transaction."""
    refuse_unknown(data, PROJECT_FIELDS)
    if client.archived_at is not None:
        raise ApplicationError(_("This client is archived; restore it first."), field="client")
    project = Project(workspace_id=client.workspace_id, client=client, currency=client.currency)
    model_assign(project, fields=PROJECT_FIELDS, data=data)
    _project_clean(project)
    # Recorded as already delivered: stamped, but nothing was handed over now (no signal).
    _delivered_at_track(project, Project.Status.PROPOSED)
    project.save()
    timeline_record(
        client=client,
        verb="project.created",
        actor=actor,
        subject=project,
        data={"title": project.title},
    )
    update_commitment_ensure(project, actor=actor)
    _client_activate_on_start(project, actor, activate_client)
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor: User | None, activate_client: bool = False, **data: Any
) -> Project:
    """Change a project. With ``activate_client`` (the provider confirmed it) an active
    project makes a lead or past client active, in the same transaction."""
    refuse_unknown(data, PROJECT_FIELDS)
    old_status = project.status
    changed = model_assign(project, fields=PROJECT_FIELDS, data=data)
    _project_clean(project)
    _client_activate_on_start(project, actor, activate_client)
    if not changed:
        return project
    was_delivered = project.delivered_at is not None
    delivered_now = _delivered_at_track(project, old_status)
    project.save()
    if {"status", "update_cadence", "update_weekday", "start_date"} & set(changed):
        update_commitment_ensure(project, actor=actor)
    if delivered_now:
        project_delivered.send(sender=Project, project=project, actor=actor)
    elif was_delivered and project.delivered_at is None:
        project_reopened.send(sender=Project, project=project, actor=actor)
    if "status" in changed:
        timeline_record(
            client=project.client,
            verb="project.status_changed",
            actor=actor,
            subject=project,
            data={"title": project.title, "old": old_status, "new": project.status},
        )
        changed.remove("status")
    if changed:
        timeline_record(
            client=project.client,
            verb="project.updated",
            actor=actor,
            subject=project,
            data={"title": project.title, "fields": ", ".join(changed)},
        )
    return project


FINISHED = (Project.Status.DELIVERED, Project.Status.CLOSED)


def _delivered_at_track(project: Project, old_status: str) -> bool:
    """Stamp the moment of delivery as the status leaves the work for delivered or closed;
    clear it when the project goes back to work. True when the project was delivered now."""
    if project.status in FINISHED and old_status not in FINISHED:
        project.delivered_at = timezone.now()
        return True
    if project.status not in FINISHED:
        project.delivered_at = None
    return False


@transaction.atomic
def project_archive(*, project: Project, actor: User | None) -> Project:
    if set_archived(project, True):
        update_commitment_ensure(project, actor=actor)
        for milestone in project.milestones.filter(archived_at__isnull=True):
            milestone_commitment_sync(milestone, actor=actor)
        timeline_record(
            client=project.client,
            verb="project.archived",
            actor=actor,
            subject=project,
            data={"title": project.title},
        )
    return project


@transaction.atomic
def project_restore(*, project: Project, actor: User | None) -> Project:
    if set_archived(project, False):
        update_commitment_ensure(project, actor=actor)
        timeline_record(
            client=project.client,
            verb="project.restored",
            actor=actor,
            subject=project,
            data={"title": project.title},
        )
    return project


def _milestone_clean(milestone: Milestone) -> None:
    milestone.title = milestone.title.strip()
    project = milestone.project
    if not isinstance(milestone.progress, int) or not 0 <= milestone.progress <= 100:
        raise ApplicationError(_("Progress is a whole number from 0 to 100."), field="progress")
    check_date(milestone.start_date, field="start_date")
    check_date(milestone.due_date, field="due_date")
    if milestone.due_date and project.due_date and milestone.due_date > project.due_date:
        raise ApplicationError(
            _("The milestone cannot be due after its project (%(date)s).")
            % {"date": date_text(project.due_date)},
            field="due_date",
        )
    if milestone.due_date and project.start_date and milestone.due_date < project.start_date:
        raise ApplicationError(
            _("The milestone cannot be due before its project starts (%(date)s).")
            % {"date": date_text(project.start_date)},
            field="due_date",
        )
    if milestone.start_date and milestone.due_date and milestone.start_date > milestone.due_date:
        raise ApplicationError(
            _("The milestone cannot start after its due date."), field="start_date"
        )
    if milestone.estimate_hours is not None and not 0 <= milestone.estimate_hours <= 10000:
        raise ApplicationError(
            _("Estimated hours must be between 0 and 10,000."), field="estimate_hours"
        )
    if (
        milestone.owner_id is not None
        and not project.client.workspace.memberships.filter(user_id=milestone.owner_id).exists()
    ):
        raise ApplicationError(_("The owner must be a member of this workspace."), field="owner")
    # Progress and status tell one story: 100% is done, done is 100%.
    if milestone.status == Milestone.Status.DONE:
        milestone.progress = 100
        milestone.completed_at = milestone.completed_at or timezone.now()
    else:
        milestone.completed_at = None
        if milestone.progress == 100:
            milestone.status = Milestone.Status.DONE
            milestone.completed_at = timezone.now()
        elif milestone.progress > 0 and milestone.status == Milestone.Status.PLANNED:
            milestone.status = Milestone.Status.IN_PROGRESS
    # Progress 0 to 100 (the model's check constraint) is checked above: no query for it.
    model_validate(milestone, exclude=["workspace", "project"], constraints=False)


def _milestone_events(
    milestone: Milestone, actor: User | None, changed: list[str], was_done: bool, old_progress: int
) -> None:
    client = milestone.project.client
    data = {"title": milestone.title}
    if milestone.is_done and not was_done:
        timeline_record(
            client=client, verb="milestone.done", actor=actor, subject=milestone, data=data
        )
    elif milestone.progress != old_progress:
        timeline_record(
            client=client,
            verb="milestone.progressed",
            actor=actor,
            subject=milestone,
            data={**data, "progress": milestone.progress},
        )
    rest = [f for f in changed if f not in {"progress", "status"}]
    if rest:
        timeline_record(
            client=client,
            verb="milestone.updated",
            actor=actor,
            subject=milestone,
            data={**data, "fields": ", ".join(rest)},
        )


@transaction.atomic
def milestone_create(*, project: Project, actor: User | None, **data: Any) -> Milestone:
    """Add a milestone; its due date must fall within the project's dates."""
    refuse_unknown(data, MILESTONE_FIELDS)
    if not data.get("due_date"):
        raise ApplicationError(_("A milestone needs a due date."), field="due_date")
    milestone = Milestone(workspace_id=project.workspace_id, project=project)
    model_assign(milestone, fields=MILESTONE_FIELDS, data=data)
    _milestone_clean(milestone)
    milestone.save()
    milestone_commitment_sync(milestone, actor=actor, created=True)
    timeline_record(
        client=project.client,
        verb="milestone.created",
        actor=actor,
        subject=milestone,
        data={"title": milestone.title},
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor: User | None, told: ClientTold | None = None, **data: Any
) -> Milestone:
    """Change a milestone. A new due date moves its commitment: ``told`` says how the client
    heard of it (another way, with a note); without it a later date is recorded as moved
    without notice and counts as broken (P15, P17). The delay notice is the way to move a
    date and tell the client from Rapport (``projects.delays``)."""
    refuse_unknown(data, MILESTONE_FIELDS)
    was_done, old_progress = milestone.is_done, milestone.progress
    changed = model_assign(milestone, fields=MILESTONE_FIELDS, data=data)
    _milestone_clean(milestone)
    if changed or milestone.is_done != was_done:
        milestone.save()
        _milestone_events(milestone, actor, changed, was_done, old_progress)
        milestone_commitment_sync(milestone, actor=actor, told=told)
    return milestone


def milestone_complete(*, milestone: Milestone, actor: User | None) -> Milestone:
    return milestone_update(milestone=milestone, actor=actor, status=Milestone.Status.DONE)


@transaction.atomic
def milestone_archive(*, milestone: Milestone, actor: User | None) -> Milestone:
    if set_archived(milestone, True):
        milestone_commitment_sync(milestone, actor=actor)
        timeline_record(
            client=milestone.project.client,
            verb="milestone.archived",
            actor=actor,
            subject=milestone,
            data={"title": milestone.title},
        )
    return milestone


@transaction.atomic
def milestone_restore(*, milestone: Milestone, actor: User | None) -> Milestone:
    """Bring an archived milestone back; its deadline is tracked again."""
    if set_archived(milestone, False):
        milestone_commitment_sync(milestone, actor=actor)
        timeline_record(
            client=milestone.project.client,
            verb="milestone.restored",
            actor=actor,
            subject=milestone,
            data={"title": milestone.title},
        )
    return milestone


# The deliverable writes live in projects.deliverables; callers import them from here too.
__all__ = [
    "deliverable_archive",
    "deliverable_create",
    "deliverable_restore",
    "deliverable_update",
]
