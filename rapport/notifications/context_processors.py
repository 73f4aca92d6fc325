"""The navigation's open-alert badge, on every staff page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from rapport.accounts.models import Workspace
from rapport.notifications.models import Alert


def open_alerts(request: HttpRequest) -> dict[str, Any]:
    """``open_alert_count``: the request's workspace's open alerts, counted when a template
    first shows it (the navigation does; fragments and pages without it run no query)."""
    workspace: Workspace | None = getattr(request, "workspace", None)
    if workspace is None:
        return {"open_alert_count": 0}
    return {"open_alert_count": SimpleLazyObject(lambda: open_alert_count(workspace=workspace))}


def open_alert_count(*, workspace: Workspace) -> int:
    """One COUNT, answered from the partial index ``alert_open`` (open alerts by workspace)."""
    return Alert.objects.for_workspace(workspace).filter(state=Alert.State.OPEN).count()
