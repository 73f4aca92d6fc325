"""Reads about providers, workspaces and members."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from rapport.accounts.models import ApiToken, Invitation, Membership, User, Workspace


def membership_current(*, user: User, workspace_id: int | None) -> Membership | None:
    """The member's chosen workspace, or their first one if none is chosen (or the chosen one
    is no longer theirs), with its ``workspace`` (one query)."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("created_at", "id")
    )
    for membership in memberships:
        if membership.workspace_id == workspace_id:
            return membership
    return memberships[0] if memberships else None


def api_token_active(*, key_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, with its user and workspace, while its user is
    still a member of that workspace; None otherwise (one query, on every API request)."""
    # get(), not first(): the hash is unique, so the query needs no ORDER BY.
    try:
        return ApiToken.objects.select_related("user", "workspace").get(
            key_hash=key_hash, revoked_at__isnull=True, workspace__memberships__user=F("user")
        )
    except ApiToken.DoesNotExist:
        return None


def member_list(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("-role", "user__name", "id")
    )


def member_users(*, workspace: Workspace) -> QuerySet[User]:
    return User.objects.filter(memberships__workspace=workspace).order_by("name", "id")


def invitation_pending_list(*, workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        workspace=workspace,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def api_token_list(*, workspace: Workspace) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(workspace=workspace, revoked_at__isnull=True)
        .select_related("user")
        .order_by("-created_at")
    )


def workspace_inbound_address(workspace: Workspace) -> str:
    """Where a client's email reply reaches this workspace (P14): its own mailbox read over
    IMAP, else ``<local>+<token>@<domain>`` of the server's INBOUND_EMAIL_ADDRESS, else ""
    (no inbound mail set up: replies go to the sender's address only)."""
    if workspace.inbound_mailbox_address:
        return workspace.inbound_mailbox_address
    local, at, domain = settings.INBOUND_EMAIL_ADDRESS.partition("@")
    if not at or not local or not domain:
        return ""
    return f"{local.split('+')[0]}+{workspace.inbound_token}@{domain}"


def member_find(*, workspace: Workspace, pk: int) -> Membership | None:
    """The workspace's membership ``pk`` (None for another workspace's)."""
    return Membership.objects.filter(workspace=workspace, pk=pk).first()
