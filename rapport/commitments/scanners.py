"""Scanners of the ledger, run by the tick. Each reads only the rows that became due (an
indexed query on open commitments by due time) and writes with keys that make a second run
change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.commitments.models import Commitment
from rapport.commitments.signals import commitments_broken
from rapport.core.locking import skip_locked
from rapport.core.periodic import register_job
from rapport.core.timeline import NewEvent, timeline_record_many
from rapport.notifications.models import Alert
from rapport.notifications.services import NewAlert, alerts_raise_many

BATCH = 1000
CHUNK = 200
UPDATE_REMINDER_AHEAD = timedelta(hours=24)


@register_job
def scan_broken_commitments(now: datetime) -> int:
    """Open commitments past their due time become broken, and the provider is told.

    A chunk at a time, in one transaction each: one UPDATE, the timeline events and the
    alerts in bulk (the alerts' unique keys make a repeat insert nothing).
    """
    total = 0
    for _round in range(BATCH // CHUNK):
        broken = _break_chunk(now)
        total += broken
        if broken < CHUNK:
            break
    return total


def _break_chunk(now: datetime) -> int:
    with transaction.atomic():
        # A quote's validity ends by expiring with the price held (kept), not by breaking:
        # rapport.agreements.quotes.scanners closes those rows.
        rows = Commitment.objects.filter(state=Commitment.State.OPEN, due_at__lt=now).exclude(
            kind=Commitment.Kind.QUOTE
        )
        rows = skip_locked(rows)
        due = list(
            rows.select_related("project__client__workspace").order_by("due_at", "id")[:CHUNK]
        )
        if not due:
            return 0
        Commitment.objects.filter(pk__in=[c.pk for c in due], state=Commitment.State.OPEN).update(
            state=Commitment.State.BROKEN, resolved_at=now, updated_at=now
        )
        timeline_record_many(
            verb="commitment.broken",
            events=[
                NewEvent(
                    workspace_id=c.workspace_id,
                    client_id=c.client_id,
                    subject=c,
                    data={"wording": c.wording_data},
                )
                for c in due
            ],
            at=now,
        )
        alerts_raise_many(
            alerts=[
                NewAlert(
                    workspace_id=c.workspace_id,
                    kind=Alert.Kind.UPDATE_MISSED
                    if c.kind == Commitment.Kind.UPDATE
                    else Alert.Kind.COMMITMENT_BROKEN,
                    dedupe_key=f"broken:{c.pk}",
                    client_id=c.client_id,
                    assignee_id=c.owner_id,
                    subject=c,
                    data={"wording": c.wording_data, "kind": c.kind, "project_id": c.project_id},
                    severity=Alert.Severity.URGENT,
                    due_at=c.due_at,
                )
                for c in due
            ]
        )
        commitments_broken.send(Commitment, commitments=due, now=now)
    return len(due)


@register_job
def scan_updates_due(now: datetime) -> int:
    """An update due within a day: remind the provider once (P12).

    One transaction for the batch, as ``scan_broken_commitments`` does: the due rows read and
    locked (skipping rows another tick holds), one UPDATE marking them reminded, the alerts in
    one bulk insert (their keys make a repeat insert nothing).
    """
    with transaction.atomic():
        rows = Commitment.objects.filter(
            state=Commitment.State.OPEN,
            kind=Commitment.Kind.UPDATE,
            reminded_at__isnull=True,
            due_at__gte=now,
            due_at__lte=now + UPDATE_REMINDER_AHEAD,
        )
        rows = skip_locked(rows)
        due = list(rows.order_by("due_at", "id")[:BATCH])
        if not due:
            return 0
        Commitment.objects.filter(pk__in=[c.pk for c in due]).update(reminded_at=now)
        alerts_raise_many(
            alerts=[
                NewAlert(
                    workspace_id=c.workspace_id,
                    kind=Alert.Kind.UPDATE_DUE,
                    dedupe_key=f"update_due:{c.pk}",
                    client_id=c.client_id,
                    assignee_id=c.owner_id,
                    subject=c,
                    data={"wording": c.wording_data, "project_id": c.project_id},
                    due_at=c.due_at,
                )
                for c in due
            ]
        )
    return len(due)
