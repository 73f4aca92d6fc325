"""Project sections for pages owned by lower apps (``clients``): the client page's projects
card, the open-project counts of the clients list, the capacity table of the screening page.
Each runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from rapport.clients.models import Client
from rapport.projects import capacity, selectors
from rapport.projects.extras import client_extra_counts

register = template.Library()


@register.inclusion_tag("projects/_client_projects.html")
def client_projects(client: Client) -> dict[str, Any]:
    # P18: the extras given to this client, counted (one query).
    return {
        "projects": selectors.client_projects(client=client),
        "extras": client_extra_counts(client=client),
    }


@register.simple_tag
def with_open_project_counts(clients: Iterable[Client]) -> list[tuple[Client, int]]:
    """Each listed client with its number of open projects (one query for the page):
    ``{% with_open_project_counts clients as rows %}{% for c, open_projects in rows %}``."""
    clients = list(clients)
    counts = selectors.open_project_counts(client_ids=[c.pk for c in clients])
    return [(c, counts.get(c.pk, 0)) for c in clients]


@register.inclusion_tag("projects/_capacity_weeks.html")
def capacity_weeks(
    workspace_id: int, hours: Decimal | None, start: date | None, due: date | None
) -> dict[str, Any]:
    """The workspace's load over the coming weeks, with the proposed work (P03)."""
    weeks = capacity.capacity_weeks(
        workspace=workspace_id,
        today=timezone.localdate(),
        new_hours=hours,
        new_start=start,
        new_due=due,
    )
    return {"weeks": weeks}
