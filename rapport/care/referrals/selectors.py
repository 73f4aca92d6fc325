"""Reads of referrals: the chain around a client, counts, and referrals by month (P34).

The chain reads the workspace's edges ``referrer client → client`` in one query (two
integers a row) and walks them in memory, then reads the referrals it shows, with their
names, in a second: two queries whatever the depth or the size of the forest (ADR 0035).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from rapport.care.model_referrals import Referral

# How far up and down the client page's chain goes.
CHAIN_DEPTH = 3


@dataclass(frozen=True, slots=True)
class ChainRow:
    """One client of the chain: ``level`` steps above (negative) or below (positive) the
    client of the page, and the referral that brought them."""

    level: int
    client_id: int
    name: str
    referral: Referral | None

    @property
    def indent(self) -> int:
        return abs(self.level) - 1


@dataclass(slots=True)
class ReferralChain:
    """Who referred the client (``referral``), the clients above them (``above``: nearest
    first) and below (``below``: depth first, in the order a tree is read), within
    ``depth``; ``referred`` is how many clients this client and its contacts referred."""

    referral: Referral | None
    above: list[ChainRow] = field(default_factory=list)
    below: list[ChainRow] = field(default_factory=list)
    referred: int = 0
    depth: int = CHAIN_DEPTH
    deeper: bool = False


def _edges(workspace_id: int) -> list[tuple[int, int]]:
    return [
        (child, parent)
        for child, parent in Referral.objects.for_workspace(workspace_id)
        .filter(referrer_client__isnull=False)
        .values_list("client_id", "referrer_client_id")
        if parent is not None
    ]


def chain_ids(
    edges: list[tuple[int, int]], client_id: int, depth: int
) -> tuple[list[int], list[tuple[int, int]], bool]:
    """The ancestors of ``client_id`` (nearest first) and its descendants as ``(level,
    id)`` in tree order, each within ``depth`` steps; and whether the tree goes deeper.
    Pure: the property test checks it against a forest it built."""
    parent = dict(edges)
    children: dict[int, list[int]] = defaultdict(list)
    for child, referrer in edges:
        children[referrer].append(child)
    above: list[int] = []
    current = parent.get(client_id)
    while current is not None and len(above) < depth and current != client_id:
        above.append(current)
        current = parent.get(current)
    below: list[tuple[int, int]] = []
    deeper = False
    stack = [(1, c) for c in sorted(children.get(client_id, []), reverse=True)]
    seen = {client_id}
    while stack:
        level, node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        below.append((level, node))
        if level < depth:
            stack.extend((level + 1, c) for c in sorted(children.get(node, []), reverse=True))
        elif children.get(node):
            deeper = True
    return above, below, deeper


def referral_chain(*, workspace_id: int, client_id: int, depth: int = CHAIN_DEPTH) -> ReferralChain:
    """The chain around one client (two queries)."""
    edges = _edges(workspace_id)
    above, below, deeper = chain_ids(edges, client_id, depth)
    wanted = {client_id, *above, *(node for _level, node in below)}
    referrals = {
        r.client_id: r
        for r in Referral.objects.for_workspace(workspace_id)
        .filter(client_id__in=wanted)
        .select_related("client", "referrer_client", "referrer_contact", "expert")
    }
    own = referrals.get(client_id)
    names: dict[int, str] = {}
    for r in referrals.values():
        names[r.client_id] = r.client.name
        if r.referrer_client is not None:
            names[r.referrer_client_id] = r.referrer_client.name  # type: ignore[index]
    return ReferralChain(
        referral=own,
        above=[
            ChainRow(-(i + 1), node, names.get(node, ""), referrals.get(node))
            for i, node in enumerate(above)
        ],
        below=[
            ChainRow(level, node, names.get(node, ""), referrals.get(node)) for level, node in below
        ],
        referred=sum(1 for _child, parent in edges if parent == client_id),
        depth=depth,
        deeper=deeper,
    )


def referral_get(*, workspace_id: int, client_id: int) -> Referral | None:
    """The referral of one client, with what it names."""
    return (
        Referral.objects.for_workspace(workspace_id)
        .filter(client_id=client_id)
        .select_related("client", "referrer_client", "referrer_contact", "expert")
        .first()
    )


def referral_counts(*, workspace_id: int, client_ids: list[int]) -> dict[int, int]:
    """How many clients each of ``client_ids`` (and its contacts) referred (one query)."""
    rows = (
        Referral.objects.for_workspace(workspace_id)
        .filter(referrer_client_id__in=client_ids)
        .values("referrer_client_id")
        .annotate(n=Count("id"))
        .values_list("referrer_client_id", "n")
    )
    return {client: n for client, n in rows if client is not None}


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def referrals_by_month(*, workspace_id: int, start: date, end: date) -> list[tuple[date, int]]:
    """New referrals per month in ``[start, end]`` (by the day of the referral): the first
    day of every month of the range with its count, zero included; one query."""
    if end < start:
        return []
    rows = (
        Referral.objects.for_workspace(workspace_id)
        .filter(referred_on__gte=start, referred_on__lte=end)
        .annotate(month=TruncMonth("referred_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    counts = {_month(month): n for month, n in rows}
    months = []
    current = _month(start)
    while current <= end:
        months.append((current, counts.get(current, 0)))
        current = _next_month(current)
    return months
