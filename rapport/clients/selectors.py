"""Reads of clients and contacts; each returns rows with what its page needs already joined."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rapport.accounts.models import Workspace
from rapport.clients.models import Client, Contact, ImportantDate
from rapport.commitments.selectors import keeping_rate_annotations
from rapport.core.models import TimelineEvent
from rapport.projects.models import Project


def _count_subquery(queryset: QuerySet, outer: str = "pk") -> Coalesce:
    counted = (
        queryset.filter(client_id=OuterRef(outer))
        .order_by()
        .values("client_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def client_list(
    *,
    workspace: Workspace,
    query: str = "",
    status: str = "",
    owner_id: int | None = None,
    archived: bool = False,
) -> QuerySet[Client]:
    """Clients of the workspace, filtered and searched by name, contact (name/email) or tag."""
    clients = Client.objects.for_workspace(workspace)
    clients = clients.archived() if archived else clients.active()
    if status:
        clients = clients.filter(status=status)
    if owner_id:
        clients = clients.filter(account_owner_id=owner_id)
    query = query.strip()
    if query:
        # The clients whose contacts match, as one set: the contacts' trigram indexes answer it
        # once (an EXISTS per client scanned every client of the workspace). Migration
        # clients.0008 adds the indexes on PostgreSQL.
        contact_match = (
            Contact.objects.filter(workspace=workspace, archived_at__isnull=True)
            .filter(Q(name__icontains=query) | Q(email__icontains=query))
            .values("client_id")
        )
        clients = clients.filter(
            Q(name__icontains=query)
            | Q(tag_index__icontains="|" + query.lower() + "|")
            | Q(pk__in=contact_match)
        )
    return clients.select_related("account_owner").annotate(
        contact_count=_count_subquery(Contact.objects.filter(archived_at__isnull=True)),
        open_project_count=_count_subquery(
            Project.objects.filter(
                archived_at__isnull=True,
                status__in=[Project.Status.PROPOSED, Project.Status.ACTIVE, Project.Status.ON_HOLD],
            )
        ),
    )


def client_get(*, workspace: Workspace, pk: int) -> Client | None:
    return (
        Client.objects.for_workspace(workspace)
        .select_related("account_owner")
        .filter(pk=pk)
        .first()
    )


def client_page_get(*, workspace: Workspace, pk: int, now: datetime) -> Client | None:
    """The client for its page, with the counts of its promise-keeping rates annotated
    (``kept_30``, ``broken_90``…; see ``commitments.selectors.keeping_rates_from``)."""
    return (
        Client.objects.for_workspace(workspace)
        .select_related("account_owner")
        .annotate(**keeping_rate_annotations(now))
        .filter(pk=pk)
        .first()
    )


def client_contacts(*, client: Client, archived: bool = False) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(client=client, archived_at__isnull=not archived)
    return contacts.select_related("client").prefetch_related(
        Prefetch("important_dates", queryset=ImportantDate.objects.order_by("month", "day"))
    )


def client_contacts_split(*, client: Client) -> tuple[list[Contact], list[Contact]]:
    """(current, archived) contacts of the client, read together (the client page shows both)."""
    current: list[Contact] = []
    archived: list[Contact] = []
    for contact in (
        Contact.objects.filter(client=client)
        .select_related("client")
        .prefetch_related(
            Prefetch("important_dates", queryset=ImportantDate.objects.order_by("month", "day"))
        )
    ):
        (archived if contact.archived_at else current).append(contact)
    return current, archived


def client_timeline(*, client: Client, limit: int = 50) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(client=client)
        .select_related("actor", "actor_contact")
        .order_by("-created_at", "-id")[:limit]
    )


def contact_get(*, workspace: Workspace, pk: int) -> Contact | None:
    return (
        Contact.objects.for_workspace(workspace)
        .select_related("client")
        .prefetch_related("important_dates")
        .filter(pk=pk)
        .first()
    )


def contact_list(
    *, workspace: Workspace, client_id: int | None = None, query: str = "", archived: bool = False
) -> QuerySet[Contact]:
    contacts = Contact.objects.for_workspace(workspace).filter(archived_at__isnull=not archived)
    if client_id:
        contacts = contacts.filter(client_id=client_id)
    if query.strip():
        contacts = contacts.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return contacts.select_related("client").order_by("name", "id")
