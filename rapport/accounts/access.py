"""Who may do what within a workspace."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from rapport.accounts.models import Membership, User, Workspace
from rapport.core.errors import ApplicationError


class WorkspaceRequest(HttpRequest):
    """Any request once ``WorkspaceMiddleware`` has run: the provider's current workspace and
    membership, or None (anonymous visitors, a user without a workspace)."""

    workspace: Workspace | None
    membership: Membership | None


class StaffRequest(WorkspaceRequest):
    """A request of a logged-in provider (views behind ``login_required``)."""

    user: User
    htmx: HtmxDetails


def workspace_of(request: HttpRequest) -> Workspace:
    """The request's workspace; a logged-in user without one sees nothing (404)."""
    workspace: Workspace | None = getattr(request, "workspace", None)
    if workspace is None:
        raise Http404
    return workspace


def found_or_404[T](found: T | None) -> T:
    """What a workspace-scoped selector found, or 404 (for ids of another workspace too)."""
    if found is None:
        raise Http404
    return found


def membership_of(request: HttpRequest) -> Membership:
    """The provider's membership in the request's workspace, or 404."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    return membership


def require_owner(membership: Membership | None) -> None:
    if membership is None or not membership.is_owner:
        raise ApplicationError(_("Only the workspace owner can do this."), code="forbidden")
