"""Reads of revision rounds: a deliverable's rounds (staff), a project's rounds (portal)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rapport.accounts.models import Workspace
from rapport.clients.models import Contact
from rapport.projects.models import Deliverable, Project, RevisionRound


def deliverable_rounds(*, deliverable: Deliverable) -> QuerySet[RevisionRound]:
    return (
        RevisionRound.objects.filter(deliverable=deliverable, workspace_id=deliverable.workspace_id)
        .select_related("requested_by_contact", "client_accepted_by")
        .order_by("number")
    )


def portal_project_rounds(*, contact: Contact, project: Project) -> QuerySet[RevisionRound]:
    """The rounds of a project of the contact's client (the portal's project page)."""
    return (
        RevisionRound.objects.filter(
            deliverable__milestone__project=project,
            deliverable__milestone__project__client_id=contact.client_id,
            workspace_id=contact.workspace_id,
        )
        .filter(Q(deliverable__archived_at__isnull=True))
        .select_related("deliverable")
        .order_by("deliverable_id", "number")
    )


def round_get(*, workspace: Workspace, pk: int) -> RevisionRound | None:
    """The workspace's round ``pk`` with its deliverable, milestone, project and client."""
    return (
        RevisionRound.objects.for_workspace(workspace)
        .select_related("deliverable__milestone__project__client")
        .filter(pk=pk)
        .first()
    )
