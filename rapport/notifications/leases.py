"""Claims on the outbox, held by lease, and handed out fairly across workspaces.

A worker claims a small batch (``queued`` -> ``sending``, its name in ``claimed_by``, a lease
until ``lease_until``). Before each send it renews the lease of what is left of its batch with
one conditional update; a row it no longer holds (the lease ran out and the sweeper took it
back, or another worker has it now) is not sent. The sweeper takes back only rows whose lease
ran out, so a live worker's message is never handed to a second worker, and a message is never
sent by two workers at once.

Fairness: the candidates are ranked within their workspace (oldest first) and the batch is
filled by rank, so each workspace with due work has its oldest message near the front of the
batch whatever another workspace's backlog; at most NOTIFICATION_CLAIM_PER_WORKSPACE rows of one
workspace go in a batch. ``delivery.deliver_due`` ends a batch after a slow send and puts that
workspace last in its next claim (``resting``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from rapport.core.locking import skip_locked
from rapport.notifications.models import Notification

# Candidates looked at per claim, as a multiple of the batch: room to skip rows that another
# worker locked a moment ago without coming back empty.
CANDIDATES_PER_SLOT = 2


def lease_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)


def _in_order(ids: Sequence[int]) -> Case:
    """An ORDER BY expression that keeps the order of ``ids``."""
    return Case(
        *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)),
        output_field=IntegerField(),
    )


def claim(
    *,
    worker: str,
    limit: int = 50,
    now: datetime | None = None,
    resting: Collection[int] = (),
) -> list[Notification]:
    """Claim up to ``limit`` due notifications, round-robin across workspaces (oldest first
    within each); the workspaces in ``resting`` come last. Returned in sending order."""
    now = now or timezone.now()
    per_workspace = max(1, int(settings.NOTIFICATION_CLAIM_PER_WORKSPACE))
    ranked = Notification.objects.filter(
        state=Notification.State.QUEUED, not_before__lte=now
    ).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("workspace_id")],
            order_by=[F("not_before").asc(), F("id").asc()],
        )
    )
    order: list[object] = ["rank", "not_before", "id"]
    if resting:
        order.insert(
            0,
            Case(
                When(workspace_id__in=list(resting), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    with transaction.atomic():
        candidates = list(
            ranked.filter(rank__lte=per_workspace)
            .order_by(*order)  # type: ignore[arg-type]
            .values_list("id", flat=True)[: limit * CANDIDATES_PER_SLOT]
        )
        if not candidates:
            return []
        free = Notification.objects.filter(id__in=candidates, state=Notification.State.QUEUED)
        # Lock only the first ``limit`` free rows, so a second worker claiming at the same
        # moment takes the next ones instead of coming back empty.
        free = skip_locked(free)
        ids = list(free.order_by(_in_order(candidates)).values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: rows another worker took in between are simply not updated.
        Notification.objects.filter(id__in=ids, state=Notification.State.QUEUED).update(
            state=Notification.State.SENDING,
            claimed_by=worker,
            claimed_at=now,
            lease_until=lease_end(now),
            attempts=F("attempts") + 1,
        )
    mine = {
        n.pk: n
        for n in Notification.objects.filter(
            id__in=ids, state=Notification.State.SENDING, claimed_by=worker
        ).select_related("contact", "client")
    }
    return [mine[pk] for pk in ids if pk in mine]


# A lease with more than this left (beyond one send cap) is known to hold without asking the
# database: only the sweeper takes a ``sending`` row away, and only once its lease ran out.
# The margin absorbs clock differences between machines.
LEASE_MARGIN_SECONDS = 10


def still_held(lease_until: datetime, now: datetime) -> bool:
    """True when a lease this worker renewed (or took) until ``lease_until`` cannot have run
    out before a send that starts ``now`` ends."""
    left = (lease_until - now).total_seconds()
    return left > float(settings.NOTIFICATION_SEND_TIMEOUT_SECONDS) + LEASE_MARGIN_SECONDS


def renew(*, worker: str, ids: Sequence[int], now: datetime | None = None) -> set[int]:
    """Extend the lease of the rows in ``ids`` this worker still holds; return those ids.

    One statement when every row is still held (the usual case); a second query finds which
    ones are when some are not. A row whose lease already ran out is not renewed: the sweeper
    may be handing it to another worker.
    """
    if not ids:
        return set()
    now = now or timezone.now()
    until = lease_end(now)
    held = Notification.objects.filter(
        pk__in=ids,
        state=Notification.State.SENDING,
        claimed_by=worker,
        lease_until__gt=now,
    )
    if held.update(lease_until=until) == len(ids):
        return set(ids)
    return set(
        Notification.objects.filter(
            pk__in=ids,
            state=Notification.State.SENDING,
            claimed_by=worker,
            lease_until=until,
        ).values_list("pk", flat=True)
    )


def release(*, worker: str, ids: Sequence[int]) -> int:
    """Give back rows claimed but not sent (a batch ended early): queued again, as they were,
    without counting the claim as an attempt."""
    if not ids:
        return 0
    return Notification.objects.filter(
        pk__in=ids, state=Notification.State.SENDING, claimed_by=worker
    ).update(
        state=Notification.State.QUEUED,
        claimed_by="",
        lease_until=None,
        attempts=F("attempts") - 1,
    )


def expired(now: datetime) -> Q:
    """Rows whose lease ran out (rows claimed before leases existed: by their claim time)."""
    cutoff = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    return Q(state=Notification.State.SENDING) & (
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, claimed_at__lt=cutoff)
    )
