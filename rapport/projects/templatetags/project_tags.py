"""Project sections for pages owned by lower apps (``clients``): the client page's projects
card, the open-project counts of the clients list, the capacity table of the screening page.
Each runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.clients.models import Client
from rapport.projects import selectors

register = template.Library()


@register.inclusion_tag("projects/_client_projects.html")
def client_projects(client: Client) -> dict[str, Any]:
    return {"projects": selectors.client_projects(client=client)}
