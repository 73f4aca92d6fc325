"""Attach the provider's current workspace and membership to each request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from rapport.accounts.access import WorkspaceRequest
from rapport.accounts.selectors import membership_current

SESSION_WORKSPACE_KEY = "workspace_id"


class WorkspaceMiddleware:
    """Makes each request a ``WorkspaceRequest``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: WorkspaceRequest) -> HttpResponse:
        request.membership = None
        request.workspace = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = membership_current(
                user=user, workspace_id=request.session.get(SESSION_WORKSPACE_KEY)
            )
            if membership is not None:
                request.membership = membership
                request.workspace = membership.workspace
        return self.get_response(request)
