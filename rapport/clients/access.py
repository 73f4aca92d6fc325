"""Staff access to clients and contacts: only within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.clients import selectors
from rapport.clients.models import Client, Contact, ImportantDate


def client_or_404(request: HttpRequest, pk: int) -> Client:
    return found_or_404(selectors.client_get(workspace=workspace_of(request), pk=pk))


def contact_or_404(request: HttpRequest, pk: int) -> Contact:
    return found_or_404(selectors.contact_get(workspace=workspace_of(request), pk=pk))


def important_date_or_404(request: HttpRequest, pk: int) -> ImportantDate:
    return found_or_404(
        ImportantDate.objects.for_workspace(workspace_of(request))
        .select_related("contact__client")
        .filter(pk=pk)
        .first()
    )
