"""Staff access to decisions: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.care.decisions import selectors
from rapport.care.model_decisions import Decision


def decision_or_404(request: HttpRequest, pk: int) -> Decision:
    return found_or_404(selectors.decision_get(workspace=workspace_of(request), pk=pk))
