"""Staff access to projects, milestones and deliverables: within the workspace, else 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from rapport.accounts.access import workspace_of
from rapport.projects import selectors
from rapport.projects.models import Deliverable, Milestone, Project


def project_or_404(request: HttpRequest, pk: int) -> Project:
    project = selectors.project_get(workspace=workspace_of(request), pk=pk)
    if project is None:
        raise Http404
    return project


def milestone_or_404(request: HttpRequest, pk: int) -> Milestone:
    milestone = selectors.milestone_get(workspace=workspace_of(request), pk=pk)
    if milestone is None:
        raise Http404
    return milestone


def deliverable_or_404(request: HttpRequest, pk: int) -> Deliverable:
    deliverable = selectors.deliverable_get(workspace=workspace_of(request), pk=pk)
    if deliverable is None:
        raise Http404
    return deliverable
