"""What a contact sees in the portal: their own client's projects, and nothing else."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from rapport.care.pulse.selectors import contact_answer
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.conversations.models import Request
from rapport.projects.models import (
    Deliverable,
    DeliverableAttachment,
    Milestone,
    Project,
    ProjectUpdate,
)
from rapport.projects.pulse_links import faces
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


REVIEW_STATUSES = [Deliverable.Status.DELIVERED, Deliverable.Status.ACCEPTED]
HOME_DELIVERABLES = 10
PROJECT_DELIVERABLES = 200


def _reviewable(contact: Contact) -> dict[str, Any]:
    """The conditions of a deliverable the contact may see, open and download: delivered or
    approved, current, of a visible project of the contact's own client."""
    return {
        "workspace_id": contact.workspace_id,
        "milestone__project__client_id": contact.client_id,
        "milestone__project__status__in": VISIBLE_PROJECT_STATUSES,
        "milestone__project__archived_at__isnull": True,
        "milestone__archived_at__isnull": True,
        "archived_at__isnull": True,
        "status__in": REVIEW_STATUSES,
    }


def portal_deliverables(
    *, contact: Contact, project_id: int | None = None, limit: int = HOME_DELIVERABLES
) -> list[Deliverable]:
    """Deliverables handed over for review (waiting first, then approved, latest first), each
    with its project and its files and links: two queries whatever their number."""
    conditions = _reviewable(contact)
    if project_id is not None:
        conditions["milestone__project_id"] = project_id
    return list(
        Deliverable.objects.filter(**conditions)
        .select_related("milestone__project")
        .prefetch_related(
            Prefetch("attachments", queryset=DeliverableAttachment.objects.order_by("id"))
        )
        .order_by("-status", "-delivered_at", "-id")[:limit]
    )


def portal_deliverable_get(*, contact: Contact, pk: int) -> Deliverable | None:
    return (
        Deliverable.objects.filter(pk=pk, **_reviewable(contact))
        .select_related("milestone__project__client")
        .first()
    )


def portal_attachment_get(*, contact: Contact, pk: int) -> DeliverableAttachment | None:
    """A file of a deliverable the contact may see, or None."""
    conditions = {f"deliverable__{key}": value for key, value in _reviewable(contact).items()}
    return DeliverableAttachment.objects.filter(
        pk=pk, kind=DeliverableAttachment.Kind.FILE, **conditions
    ).first()


def portal_update_get(*, contact: Contact, pk: int) -> ProjectUpdate | None:
    """One update sent to the contact's client, on a visible project, or None."""
    return (
        ProjectUpdate.objects.filter(
            pk=pk,
            project__client_id=contact.client_id,
            workspace_id=contact.workspace_id,
            archived_at__isnull=True,
            project__archived_at__isnull=True,
        )
        .select_related("project")
        .first()
    )


def portal_project_get(*, contact: Contact, pk: int) -> Project | None:
    """One visible project of the contact's client, or None."""
    return portal_projects_for_choice(contact=contact).filter(pk=pk).first()


def portal_home_pulse(*, contact: Contact) -> dict[str, Any]:
    """What the portal home's "How are we doing?" shows: the latest update (or, before any,
    the first project) and the contact's answer to it (two queries)."""
    update = next(iter(portal_updates(contact=contact, limit=1)), None)
    project: Project | None = None
    if update is None:
        project = portal_projects_for_choice(contact=contact).first()
        if project is None:
            return {}
    answer = contact_answer(contact=contact, update=update) if update is not None else None
    return {
        "pulse_update": update,
        "pulse_project": project,
        "pulse_answer": answer,
        "pulse_faces": faces(),
    }
