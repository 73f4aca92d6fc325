"""Staff access to projects, milestones and deliverables: within the workspace, else 404."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.projects import selectors
from rapport.projects.models import Deliverable, Milestone, Project


def project_or_404(request: HttpRequest, pk: int, *, progress: bool = True) -> Project:
    """The project, with its progress figures unless ``progress`` is False, or 404."""
    return found_or_404(
        selectors.project_get(workspace=workspace_of(request), pk=pk, progress=progress)
    )


def milestone_or_404(request: HttpRequest, pk: int) -> Milestone:
    return found_or_404(selectors.milestone_get(workspace=workspace_of(request), pk=pk))


def deliverable_or_404(request: HttpRequest, pk: int) -> Deliverable:
    return found_or_404(selectors.deliverable_get(workspace=workspace_of(request), pk=pk))
