"""What a contact sees in the portal: their own client's projects, and nothing else."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.conversations.models import Request
from rapport.projects.models import Deliverable, Milestone, Project, ProjectUpdate
from rapport.projects.selectors import _with_progress

VISIBLE_PROJECT_STATUSES = [
    Project.Status.ACTIVE,
    Project.Status.ON_HOLD,
    Project.Status.DELIVERED,
    Project.Status.PROPOSED,
]


def portal_projects(*, contact: Contact, with_deliverables: bool = True) -> QuerySet[Project]:
    """The contact's client's visible projects with progress and their visible milestones
    (``visible_milestones``); with each milestone's deliverables unless ``with_deliverables``
    is False (the portal home lists milestones only: one query less)."""
    projects = Project.objects.filter(
        client_id=contact.client_id,
        workspace_id=contact.workspace_id,
        archived_at__isnull=True,
        status__in=VISIBLE_PROJECT_STATUSES,
    )
    milestones = Milestone.objects.filter(archived_at__isnull=True).order_by("due_date", "id")
    prefetches: list[Prefetch[Any]] = [
        Prefetch("milestones", queryset=milestones, to_attr="visible_milestones")
    ]
    if with_deliverables:
        prefetches.append(
            Prefetch(
                "visible_milestones__deliverables",
                queryset=Deliverable.objects.filter(archived_at__isnull=True).order_by("id"),
            )
        )
    return _with_progress(projects).prefetch_related(*prefetches).order_by("due_date", "id")


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


def portal_requests(*, contact: Contact, limit: int = 10) -> QuerySet[Request]:
    """The client's requests: open ones first (with their ETA), then the latest answered."""
    return Request.objects.filter(
        client_id=contact.client_id, workspace_id=contact.workspace_id
    ).order_by("-received_at", "-id")[:limit]


def portal_updates(*, contact: Contact, limit: int = 5) -> QuerySet[ProjectUpdate]:
    return (
        ProjectUpdate.objects.filter(
            project__client_id=contact.client_id,
            workspace_id=contact.workspace_id,
            archived_at__isnull=True,
            project__archived_at__isnull=True,
        )
        .select_related("project")
        .order_by("-sent_at", "-id")[:limit]
    )


def portal_promises_to_confirm(*, contact: Contact) -> QuerySet[Commitment]:
    return Commitment.objects.filter(
        client_id=contact.client_id,
        workspace_id=contact.workspace_id,
        kind=Commitment.Kind.PROMISE,
        state=Commitment.State.OPEN,
        confirmation_requested_at__isnull=False,
        confirmed_at__isnull=True,
    ).order_by("due_at", "id")


def portal_projects_for_choice(*, contact: Contact) -> QuerySet[Project]:
    return Project.objects.filter(
        client_id=contact.client_id,
        workspace_id=contact.workspace_id,
        archived_at__isnull=True,
        status__in=VISIBLE_PROJECT_STATUSES,
    ).order_by("title")
