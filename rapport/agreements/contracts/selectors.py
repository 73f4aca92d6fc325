"""Reads for contracts, amendments and change requests, staff side and portal side.

Staff reads are scoped to the workspace; portal reads to the contact's client. Each runs a fixed
number of queries whatever the number of documents, signatures or events.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from rapport.accounts.models import Workspace
from rapport.agreements.models import AuditEvent, Document, Signature
from rapport.clients.models import Client, Contact
from rapport.projects.models import ChangeRequest, Project

LIST_LIMIT = 20


def documents_for_project(*, project: Project) -> list[Document]:
    """The project's latest documents, with their signer (the project page)."""
    return list(
        Document.objects.filter(project=project)
        .defer("pdf", "body", "data")
        .select_related("signer")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def documents_for_client(*, client: Client) -> list[Document]:
    """The client's latest documents, with their project and signer (the client page)."""
    return list(
        Document.objects.filter(client=client)
        .defer("pdf", "body", "data")
        .select_related("project", "signer")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def document_for_staff(*, workspace: Workspace, pk: int) -> Document | None:
    """One document of the workspace with its parties, signatures and audit trail."""
    return (
        Document.objects.for_workspace(workspace)
        .select_related(
            "client__workspace", "project", "signer", "quote", "contract", "change_request"
        )
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("contact", "user", "code").order_by(
                    "signed_at"
                ),
            ),
            Prefetch("audit", queryset=AuditEvent.objects.order_by("seq")),
        )
        .filter(pk=pk)
        .first()
    )


def portal_documents(*, contact: Contact) -> list[Document]:
    """The documents of the contact's client that are not withdrawn, newest first."""
    return list(
        Document.objects.filter(client_id=contact.client_id, workspace_id=contact.workspace_id)
        .exclude(status=Document.Status.VOID)
        .defer("pdf", "body", "data")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def portal_document(*, contact: Contact, pk: int) -> Document | None:
    """One document of the contact's client (None for anyone else's)."""
    return (
        Document.objects.filter(client_id=contact.client_id, pk=pk)
        .select_related("client__workspace", "project", "quote", "signer", "change_request")
        .prefetch_related("signatures")
        .first()
    )


def changes_for_project(*, project: Project) -> list[ChangeRequest]:
    """The project's latest change requests, with their milestone (the project page)."""
    return list(
        ChangeRequest.objects.filter(project=project)
        .select_related("milestone")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def change_for_staff(*, workspace: Workspace, pk: int) -> ChangeRequest | None:
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
