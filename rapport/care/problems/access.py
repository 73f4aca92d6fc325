"""Staff access to problems: within the request's workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.care.models import Problem
from rapport.care.problems import selectors


def problem_or_404(request: HttpRequest, pk: int) -> Problem:
    return found_or_404(selectors.problem_get(workspace=workspace_of(request), pk=pk))
