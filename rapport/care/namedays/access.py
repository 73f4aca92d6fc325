"""Staff access to important-date alerts: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.care.namedays import selectors
from rapport.notifications.models import Alert


def greeting_alert_or_404(request: HttpRequest, pk: int) -> Alert:
    return found_or_404(selectors.greeting_alert_get(workspace=workspace_of(request), pk=pk))
