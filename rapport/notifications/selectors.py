from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rapport.accounts.models import Workspace
from rapport.notifications.models import Alert, Notification
from rapport.notifications.ranking import ranked

if TYPE_CHECKING:
    from rapport.clients.models import Client


def alert_list(*, workspace: Workspace, state: str = Alert.State.OPEN) -> QuerySet[Alert]:
    """What needs the provider now first, forecasts last (the alert centre's order, see
    ``notifications.ranking``)."""
    return ranked(
        Alert.objects.for_workspace(workspace)
        .filter(state=state)
        .select_related("client", "assignee")
    )


def alert_get(*, workspace: Workspace, pk: int) -> Alert | None:
    return Alert.objects.for_workspace(workspace).filter(pk=pk).first()


CLIENT_PAGE_NOTIFICATIONS = 20


def client_notifications(*, client: Client) -> list[Notification]:
    """The latest messages with their state and attempt count; each attempt itself is a
    timeline event (``notification.sent``, ``.retry``, ``.failed``)."""
    return list(
        Notification.objects.filter(client=client)
        .select_related("contact")
        .order_by("-created_at", "-id")[:CLIENT_PAGE_NOTIFICATIONS]
    )
