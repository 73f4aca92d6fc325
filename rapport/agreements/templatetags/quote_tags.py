"""Small quote lists for pages owned by other apps (project, client, portal home).

Each tag runs one query, whatever the number of quotes, so the pages that include them keep
a fixed query count.
"""

from __future__ import annotations

from typing import Any

from django import template

from rapport.agreements.quotes import selectors as quote_selectors
from rapport.clients.models import Client, Contact
from rapport.projects.models import Project

register = template.Library()


@register.inclusion_tag("agreements/quote_project_list.html")
def project_quotes(project: Project) -> dict[str, Any]:
    return {"project": project, "quotes": quote_selectors.quotes_for_project(project=project)}


@register.inclusion_tag("agreements/quote_client_list.html")
def client_quotes(client: Client) -> dict[str, Any]:
    return {"client": client, "quotes": quote_selectors.quotes_for_client(client=client)}


@register.inclusion_tag("portal/quote_list.html")
def portal_quotes(contact: Contact) -> dict[str, Any]:
    return {"quotes": quote_selectors.portal_current_quotes(contact=contact)}
