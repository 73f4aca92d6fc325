"""Staff access to the ledger: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.commitments import selectors
from rapport.commitments.models import Commitment


def commitment_or_404(request: HttpRequest, pk: int) -> Commitment:
    return found_or_404(selectors.commitment_get(workspace=workspace_of(request), pk=pk))
