"""Reads for contracts and amendments, staff side and portal side.

Staff reads are scoped to the workspace; portal reads to the contact's client. Each runs a fixed
number of queries whatever the number of documents, signatures or events.
"""

from __future__ import annotations

from django.db.models import Prefetch

from rapport.accounts.models import Workspace
from rapport.agreements.models import AuditEvent, Document, Signature
from rapport.clients.models import Client, Contact
from rapport.projects.models import Project

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


def signed_contract(project: Project) -> Document | None:
    """The project's contract signed by both sides (the newest, if several), with its quote and
    its signer's client and workspace."""
    return (
        Document.objects.filter(
            project=project, kind=Document.Kind.CONTRACT, status=Document.Status.SIGNED
        )
        .select_related("quote", "signer__client__workspace")
        .order_by("-created_at", "-id")
        .first()
    )
