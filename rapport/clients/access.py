"""Staff access to clients and contacts: only within the request's workspace, else 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from rapport.accounts.access import workspace_of
from rapport.clients import selectors
from rapport.clients.models import Client, Contact, ImportantDate


def client_or_404(request: HttpRequest, pk: int) -> Client:
    client = selectors.client_get(workspace=workspace_of(request), pk=pk)
    if client is None:
        raise Http404
    return client


def contact_or_404(request: HttpRequest, pk: int) -> Contact:
    contact = selectors.contact_get(workspace=workspace_of(request), pk=pk)
    if contact is None:
        raise Http404
    return contact


def important_date_or_404(request: HttpRequest, pk: int) -> ImportantDate:
    item = (
        ImportantDate.objects.for_workspace(workspace_of(request))
        .select_related("contact__client")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item
