"""Contract and change-request lists for pages owned by other apps (project, client, request,
portal home). Each tag runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from rapport.agreements.changes import selectors as change_selectors
from rapport.agreements.changes.forms import FromRequestForm
from rapport.agreements.contracts import selectors
from rapport.clients.models import Client, Contact
from rapport.conversations.models import Request
from rapport.projects.models import Project

register = template.Library()


@register.inclusion_tag("agreements/contract_list_partial.html")
def project_contracts(project: Project) -> dict[str, Any]:
    return {
        "documents": selectors.documents_for_project(project=project),
        "anchor": "p",
        "show_project": False,
    }


@register.inclusion_tag("agreements/contract_list_partial.html")
def client_contracts(client: Client) -> dict[str, Any]:
    return {
        "documents": selectors.documents_for_client(client=client),
        "anchor": "c",
        "show_project": True,
    }


@register.inclusion_tag("agreements/change_list_partial.html")
def project_changes(project: Project) -> dict[str, Any]:
    return {"project": project, "changes": change_selectors.changes_for_project(project=project)}


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


@register.inclusion_tag("portal/sign_home.html", takes_context=True)
def portal_signing(
    context: template.Context, contact: Contact, projects: Iterable[Project]
) -> dict[str, Any]:
    """The portal home's contracts and changes. ``projects``: the home's visible projects (the
    ones a change can be asked for; a list or a queryset the page reads anyway)."""
    request = context.get("request")
    return {
        "contact": contact,
        "documents": selectors.portal_documents(contact=contact),
        "changes": change_selectors.portal_change_list(contact=contact)[: selectors.LIST_LIMIT],
        # The same projects the change form offers (portal_projects_for_choice).
        "has_projects": bool(projects),
        "sent": bool(request and request.GET.get("change") == "sent"),
    }
