"""Staff access to keep-in-touch messages: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.care.keepintouch import selectors
from rapport.care.model_keepintouch import CheckIn


def check_in_or_404(request: HttpRequest, pk: int) -> CheckIn:
    return found_or_404(selectors.check_in_get(workspace=workspace_of(request), pk=pk))
