"""Duplicate a project: the same work again, for the same client or another one, from a new
start date (the first day: a second website is the first one's plan moved in time).

What is copied is the plan: the project's goal, budget, estimate, currency, out-of-scope list
and update cadence; its current milestones (dates shifted by the same number of days, estimate
and owner kept, progress back to 0); their current deliverables (spec, format and revision
policy; pending again). What is not copied is what happened: no updates, requests, time,
revision rounds, files or history.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Client
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_date
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create


def _shift(day: date | None, by: timedelta) -> date | None:
    return day + by if day is not None else None


@transaction.atomic
def project_duplicate(
    *, project: Project, client: Client, actor: User | None, title: str, start_date: date | None
) -> Project:
    """A copy of ``project``'s plan for ``client`` (of the same workspace), starting on
    ``start_date``: every date moves by the days between the two starts (a project without
    a start date is measured from its first milestone's date). The copy is proposed, with
    nothing done; refusals name the field (``client``, ``title``, ``start_date``)."""
    if client.workspace_id != project.workspace_id:
        raise ApplicationError(_("Choose one of your clients."), field="client", code="not_found")
    if start_date is None:
        raise ApplicationError(_("Choose the start date."), field="start_date")
    check_date(start_date, field="start_date")
    milestones = list(
        Milestone.objects.filter(project=project, archived_at__isnull=True)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.filter(archived_at__isnull=True).order_by("id"),
            )
        )
        .order_by("due_date", "id")
    )
    base = project.start_date or min(
        (m.start_date or m.due_date for m in milestones), default=start_date
    )
    by = start_date - base
    due = _shift(project.due_date, by)
    check_date(due, field="start_date")
    copy = project_create(
        client=client,
        actor=actor,
        title=title,
        goal=project.goal,
        start_date=start_date,
        due_date=due,
        budget=project.budget,
        estimated_hours=project.estimated_hours,
        currency=project.currency,
        out_of_scope=project.out_of_scope,
        update_cadence=project.update_cadence,
        update_weekday=project.update_weekday,
    )
    # A former member's milestones go to nobody (the workspace owner) rather than fail.
    members = set(project.workspace.memberships.values_list("user_id", flat=True))
    for milestone in milestones:
        twin = milestone_create(
            project=copy,
            actor=actor,
            title=milestone.title,
            start_date=_shift(milestone.start_date, by),
            due_date=milestone.due_date + by,
            estimate_hours=milestone.estimate_hours,
            owner=milestone.owner if milestone.owner_id in members else None,
        )
        for deliverable in milestone.deliverables.all():
            deliverable_create(
                milestone=twin,
                actor=actor,
                title=deliverable.title,
                spec=deliverable.spec,
                format=deliverable.format,
                revision_free_rounds=deliverable.revision_free_rounds,
                revision_hourly_rate=deliverable.revision_hourly_rate,
            )
    timeline_record(
        client=client,
        verb="project.duplicated",
        actor=actor,
        subject=copy,
        data={"title": copy.title, "source": project.title},
    )
    return copy
