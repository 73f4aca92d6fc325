"""What a contact sees in the portal: their own client's projects, and nothing else."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from rapport.clients.models import Contact
from rapport.projects.models import Deliverable, Milestone, Project
from rapport.projects.selectors import _with_progress

VISIBLE_PROJECT_STATUSES = [
    Project.Status.ACTIVE,
    Project.Status.ON_HOLD,
    Project.Status.DELIVERED,
    Project.Status.PROPOSED,
]


def portal_projects(*, contact: Contact) -> QuerySet[Project]:
    projects = Project.objects.filter(
        client_id=contact.client_id,
        workspace_id=contact.workspace_id,
        archived_at__isnull=True,
        status__in=VISIBLE_PROJECT_STATUSES,
    )
    milestones = Milestone.objects.filter(archived_at__isnull=True).order_by("due_date", "id")
    return (
        _with_progress(projects)
        .prefetch_related(
            Prefetch("milestones", queryset=milestones, to_attr="visible_milestones"),
            Prefetch(  # type: ignore[misc]  # the stubs do not follow to_attr
                "visible_milestones__deliverables",
                queryset=Deliverable.objects.filter(archived_at__isnull=True).order_by("id"),
            ),
        )
        .order_by("due_date", "id")
    )


def portal_next_dates(*, contact: Contact, today: date, limit: int = 5) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(
            project__client_id=contact.client_id,
            workspace_id=contact.workspace_id,
            project__archived_at__isnull=True,
            project__status__in=VISIBLE_PROJECT_STATUSES,
            archived_at__isnull=True,
            due_date__gte=today,
        )
        .exclude(status=Milestone.Status.DONE)
        .select_related("project")
        .order_by("due_date", "id")[:limit]
    )
