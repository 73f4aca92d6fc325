from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def workspace(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "workspace", None)
    membership = getattr(request, "membership", None)
    counted = getattr(membership, "open_alert_count", None)
    return {
        "workspace": current,
        "membership": membership,
        # Counted with the membership (accounts.selectors.membership_current); otherwise lazily,
        # only by pages that show the navigation.
        "open_alert_count": (
            counted if counted is not None else SimpleLazyObject(lambda: _open_alerts(current))
        ),
    }


def _open_alerts(workspace: Any) -> int:
    if workspace is None:
        return 0
    from rapport.notifications.models import Alert

    return Alert.objects.filter(workspace=workspace, state=Alert.State.OPEN).count()
