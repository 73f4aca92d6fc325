"""Staff access to a workspace's plain-words entries: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.care.models import JargonTerm


def jargon_term_or_404(request: HttpRequest, pk: int) -> JargonTerm:
    return found_or_404(
        JargonTerm.objects.for_workspace(workspace_of(request)).filter(pk=pk).first()
    )
