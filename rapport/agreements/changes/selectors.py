"""Reads for change requests, staff side and portal side (P19).

Staff reads are scoped to the workspace; portal reads to the contact's client. Each runs a fixed
number of queries whatever the number of change requests.
"""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.accounts.models import Workspace
from rapport.agreements.contracts.selectors import LIST_LIMIT
from rapport.clients.models import Contact
from rapport.projects.models import ChangeRequest, Project


def changes_for_project(*, project: Project) -> list[ChangeRequest]:
    """The project's latest change requests, with their milestone (the project page)."""
    return list(
        ChangeRequest.objects.filter(project=project)
        .select_related("milestone")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def change_for_staff(*, workspace: Workspace, pk: int) -> ChangeRequest | None:
    """One change request of ``workspace`` with its project and client, milestone, who raised
    it, the request it came from and its amendment (without the file), or None."""
    return (
        ChangeRequest.objects.for_workspace(workspace)
        .select_related(
            "project__client",
            "milestone",
            "raised_by_contact",
            "raised_by_user",
            "request",
            "amendment",
        )
        .defer("amendment__pdf", "amendment__data")
        .filter(pk=pk)
        .first()
    )


def portal_changes(*, contact: Contact) -> QuerySet[ChangeRequest]:
    """The change requests of the contact's client, with their project, milestone and
    amendment (when sent)."""
    return portal_change_list(contact=contact).select_related("project", "milestone")


def portal_change_list(*, contact: Contact) -> QuerySet[ChangeRequest]:
    """The portal home's list of changes: each with its amendment, to sign (no project or
    milestone: the list does not show them)."""
    return (
        ChangeRequest.objects.filter(client_id=contact.client_id, workspace_id=contact.workspace_id)
        .select_related("amendment")
        .defer("amendment__pdf", "amendment__data", "amendment__body")
        .order_by("-created_at", "-id")
    )


def change_locked(change_request: ChangeRequest) -> ChangeRequest:
    """``change_request`` read again under a row lock, with its project, client, workspace and
    milestone: two decisions on one change never interleave."""
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project__client__workspace", "milestone")
        .get(pk=change_request.pk)
    )
