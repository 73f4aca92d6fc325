"""The action on a request's page (``conversations``, a lower app) that turns the request into
a change request. The contract and change cards of the client, project and portal home pages
load after their page, from the agreements and portal views (ADR 0014)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.agreements.changes.forms import FromRequestForm
from rapport.conversations.models import Request
from rapport.projects.models import Project

register = template.Library()


@register.inclusion_tag("agreements/change_from_request.html", takes_context=True)
def change_from_request(context: template.Context, req: Request) -> dict[str, Any]:
    """The action on an open request's page: turn it into a change request (P14 → P19)."""
    projects = Project.objects.filter(client_id=req.client_id, archived_at__isnull=True)
    form = FromRequestForm(projects=projects, initial={"project": req.project_id})
    return {
        "req": req,
        "form": form,
        "projects": req.state == Request.State.OPEN and projects.exists(),
        "csrf_token": context.get("csrf_token"),
    }
