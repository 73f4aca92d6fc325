"""Is this lead a conflict of interest with a current client? (P04)"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from rapport.clients.models import Client


@dataclass(frozen=True)
class Conflict:
    client: Client
    tags: list[str]


def conflicts_for(client: Client) -> list[Conflict]:
    """Current clients whose industry or competitor tags match this lead's, naming them (P04)."""
    tags = set(client.industry_tags) | set(client.competitor_tags)
    if not tags:
        return []
    match = Q()
    for tag in tags:
        match |= Q(tag_index__contains=f"|{tag}|")
    others = (
        Client.objects.for_workspace(client.workspace_id)
        .active()
        .filter(status=Client.Status.ACTIVE)
        .exclude(pk=client.pk)
        .filter(match)
        .order_by("name")
    )
    return [
        Conflict(
            client=other,
            tags=sorted(tags & (set(other.industry_tags) | set(other.competitor_tags))),
        )
        for other in others
    ]
