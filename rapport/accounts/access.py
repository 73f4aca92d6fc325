"""Who may do what within a workspace."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from rapport.accounts.models import Membership, Workspace
from rapport.core.errors import ApplicationError


def workspace_of(request: HttpRequest) -> Workspace:
    """The request's workspace; a logged-in user without one sees nothing (404)."""
    workspace: Workspace | None = getattr(request, "workspace", None)
    if workspace is None:
        raise Http404
    return workspace


def require_owner(membership: Membership | None) -> None:
    if membership is None or not membership.is_owner:
        raise ApplicationError(_("Only the workspace owner can do this."), code="forbidden")
