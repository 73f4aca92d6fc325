"""Staff access to requests: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.conversations import selectors
from rapport.conversations.models import InboundEmail, Request


def request_or_404(request: HttpRequest, pk: int) -> Request:
    return found_or_404(selectors.request_get(workspace=workspace_of(request), pk=pk))


def unmatched_email_or_404(request: HttpRequest, pk: int) -> InboundEmail:
    """An email of the request's workspace still waiting on the Unmatched page, else 404."""
    return found_or_404(
        selectors.unmatched_emails(workspace=workspace_of(request)).filter(pk=pk).first()
    )
