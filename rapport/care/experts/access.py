"""Staff access to experts and recommendations: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.care.experts import selectors
from rapport.care.model_referrals import Expert, Recommendation


def expert_or_404(request: HttpRequest, pk: int) -> Expert:
    return found_or_404(selectors.expert_get(workspace_id=workspace_of(request).pk, pk=pk))


def recommendation_or_404(request: HttpRequest, pk: int) -> Recommendation:
    return found_or_404(selectors.recommendation_get(workspace_id=workspace_of(request).pk, pk=pk))
