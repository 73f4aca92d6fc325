"""Reads about providers, workspaces and members."""

from __future__ import annotations

from functools import cache

from django.db import connections
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from rapport.accounts.models import ApiToken, Invitation, Membership, User, Workspace
from rapport.core.statements import ModelColumns


def _open_alert_count() -> Coalesce:
    """The workspace's open alerts, counted in the membership's own query (the navigation
    shows it on every staff page; the partial index ``alert_open`` answers it)."""
    from rapport.notifications.models import Alert

    count = (
        Alert.objects.filter(workspace_id=OuterRef("workspace_id"), state=Alert.State.OPEN)
        .order_by()
        .values("workspace_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def membership_current(*, user: User, workspace_id: int | None) -> Membership | None:
    """The member's chosen workspace, or their first one if none is chosen (one query), with
    ``open_alert_count``."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .annotate(open_alert_count=_open_alert_count())
    )
    if workspace_id is not None:
        chosen = memberships.filter(workspace_id=workspace_id).first()
        if chosen is not None:
            return chosen
    return memberships.order_by("created_at", "id").first()


@cache
def _token_statement(using: str) -> tuple[str, tuple[ModelColumns, ...]]:
    tables = (ApiToken, Membership, User, Workspace)
    columns = tuple(
        ModelColumns(model, alias, using) for model, alias in zip(tables, "tmuw", strict=True)
    )
    quote = connections[using].ops.quote_name
    token, membership, user, workspace = (quote(model._meta.db_table) for model in tables)
    # Names from the models' metadata only; the token's hash is a bound parameter.
    sql = (
        f"SELECT {', '.join(c.sql for c in columns)} FROM {token} t"  # noqa: S608
        f" JOIN {membership} m ON m.workspace_id = t.workspace_id AND m.user_id = t.user_id"
        f" JOIN {user} u ON u.id = t.user_id JOIN {workspace} w ON w.id = t.workspace_id"
        " WHERE t.key_hash = %s AND t.revoked_at IS NULL"
    )
    return sql, columns


def api_token_membership(*, key_hash: str, using: str = "default") -> Membership | None:
    """The membership behind an API token, with its user and workspace, and the token as
    ``membership.token``; None when the token is unknown or revoked, or its member has left.

    Every API request makes this read, so it is one statement composed once per process
    (rapport.core.statements), not a queryset compiled per request.
    """
    sql, columns = _token_statement(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for reader in columns:
        instances.append(reader.instance(row, start))
        start += reader.width
    token, membership, user, workspace = instances
    assert isinstance(token, ApiToken) and isinstance(membership, Membership)
    assert isinstance(user, User) and isinstance(workspace, Workspace)
    token.user = membership.user = user
    token.workspace = membership.workspace = workspace
    membership.token = token  # type: ignore[attr-defined]
    return membership


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
