"""Reads about providers, workspaces and members."""

from __future__ import annotations

from functools import cache

from django.db import connections
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from rapport.accounts.models import ApiToken, Invitation, Membership, User, Workspace
from rapport.core.statements import ModelColumns, fetch_joined, joined_columns, select_list


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
    """The member's chosen workspace, or their first one if none is chosen, with
    ``open_alert_count``.

    A user loaded by ``MemberBackend`` brings their memberships along (``user_with_memberships``):
    the choice is then made among them with no query; otherwise it costs one query.
    """
    read: list[Membership] | None = getattr(user, MEMBERSHIPS_READ, None)
    if read is not None:
        if workspace_id is not None:
            for membership in read:
                if membership.workspace_id == workspace_id:
                    return membership
        return read[0] if read else None
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


# The attribute on a user that holds their memberships read with them (user_with_memberships).
MEMBERSHIPS_READ = "memberships_read"


@cache
def _member_statement(using: str) -> tuple[str, tuple[ModelColumns, ...]]:
    from rapport.notifications.models import Alert

    columns = joined_columns((User, Membership, Workspace), "umw", using)
    user, membership, workspace = (c.table for c in columns)
    alert = connections[using].ops.quote_name(Alert._meta.db_table)
    # Names from the models' metadata only; the user id and the alert state are parameters.
    # The count is the navigation's badge; the partial index ``alert_open`` answers it.
    sql = (
        f"SELECT {select_list(columns)},"  # noqa: S608
        f" (SELECT COUNT(*) FROM {alert} a WHERE a.workspace_id = m.workspace_id"
        " AND a.state = %s)"
        f" FROM {user} u LEFT JOIN {membership} m ON m.user_id = u.id"
        f" LEFT JOIN {workspace} w ON w.id = m.workspace_id"
        " WHERE u.id = %s ORDER BY m.created_at, m.id"
    )
    return sql, columns


def user_with_memberships(*, user_id: int, using: str = "default") -> User | None:
    """The user, with every membership (oldest first, each with its ``workspace``, its
    ``user`` and ``open_alert_count``) as ``user.memberships_read``; None if there is no such
    user.

    Every staff request makes this read (through ``MemberBackend.get_user``), so it is one
    statement composed once per process (rapport.core.statements), instead of a user query
    and a membership query each compiled per request.
    """
    from rapport.notifications.models import Alert

    sql, (user_columns, membership_columns, workspace_columns) = _member_statement(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [Alert.State.OPEN.value, user_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    user = user_columns.instance(rows[0], 0)
    assert isinstance(user, User)
    memberships: list[Membership] = []
    m_start = user_columns.width
    w_start = m_start + membership_columns.width
    for row in rows:
        if row[m_start] is None:  # no membership: the LEFT JOIN's empty row
            continue
        membership = membership_columns.instance(row, m_start)
        workspace = workspace_columns.instance(row, w_start)
        assert isinstance(membership, Membership) and isinstance(workspace, Workspace)
        membership.user = user
        membership.workspace = workspace
        membership.open_alert_count = row[-1]  # type: ignore[attr-defined]
        memberships.append(membership)
    setattr(user, MEMBERSHIPS_READ, memberships)
    return user


@cache
def _token_statement(using: str) -> tuple[str, tuple[ModelColumns, ...]]:
    columns = joined_columns((ApiToken, Membership, User, Workspace), "tmuw", using)
    token, membership, user, workspace = (c.table for c in columns)
    # Names from the models' metadata only; the token's hash is a bound parameter.
    sql = (
        f"SELECT {select_list(columns)} FROM {token} t"  # noqa: S608
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
    found = fetch_joined(sql, [key_hash], columns, using)
    if found is None:
        return None
    token, membership, user, workspace = found
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
