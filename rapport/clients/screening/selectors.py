"""Reads of lead screening: the checklist, a lead's answers, and conflicts of interest with
current clients (P01, P04)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from rapport.accounts.models import Workspace
from rapport.clients.models import Client, Screening, ScreeningAnswer, ScreeningQuestion


def checklist(workspace: Workspace) -> list[ScreeningQuestion]:
    """The workspace's active questions (a read: the defaults are written at sign-up)."""
    return list(ScreeningQuestion.objects.for_workspace(workspace).filter(archived_at__isnull=True))


def screening_get(*, client: Client) -> Screening:
    """The client's screening, or an unsaved one: the row is written by the first save or
    decision, not by a visit."""
    return Screening.objects.filter(client=client).first() or Screening(
        client=client, workspace_id=client.workspace_id
    )


def screening_answers(*, screening: Screening) -> dict[int, ScreeningAnswer]:
    """The screening's answers by question id (none for an unsaved screening)."""
    if screening.pk is None:
        return {}
    return {
        a.question_id: a
        for a in ScreeningAnswer.objects.filter(screening=screening).select_related("question")
    }


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
