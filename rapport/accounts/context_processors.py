from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def workspace(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "workspace", None)
    return {
        "workspace": current,
        "membership": getattr(request, "membership", None),
        # Lazy: counted only by pages that show the navigation.
        "open_alert_count": SimpleLazyObject(lambda: _open_alerts(current)),
    }


def _open_alerts(workspace: Any) -> int:
    if workspace is None:
        return 0
    from rapport.notifications.models import Alert

    return Alert.objects.filter(workspace=workspace, state=Alert.State.OPEN).count()
