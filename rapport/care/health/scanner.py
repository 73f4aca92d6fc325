"""The tick's health scans (P37; ADR 0038): what changed, then the clients whose moment has
come, and no other.

``scan_health_changes`` reads the timeline events written since its last run (by primary
key, after the stored cursor) and marks their clients due now. Every change the score reads
is a timeline event in the transaction of the change: a commitment kept, broken (the
ledger's scanner writes its events in bulk), cancelled or renegotiated; a request received,
answered or replied to; an invoice issued, paid or voided; a pulse answer; a problem reported
or resolved; a message queued to a contact; the client's status or a project's budget
changed. So the apps below care stay unaware of health, and their writes cost nothing more.

``scan_health_due`` then reads the due rows through the partial index ``health_due`` (oldest
moment first, skipping rows another tick holds), a batch at a time, and recomputes them; the
computation sets each row's next moment, so a second run finds nothing to do.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.care.health.services import health_mark_due, health_recompute
from rapport.care.models import ClientHealth, HealthCursor
from rapport.core.locking import skip_locked
from rapport.core.models import TimelineEvent
from rapport.core.periodic import register_job

BATCH = 200
EVENTS_BATCH = 5000
CURSOR = "timeline"


@register_job
def scan_health_changes(now: datetime) -> int:
    """Mark due the clients of the timeline events since the cursor (a batch); returns how
    many events were read."""
    with transaction.atomic():
        cursor, _created = HealthCursor.objects.select_for_update().get_or_create(name=CURSOR)
        events = list(
            TimelineEvent.objects.filter(pk__gt=cursor.last_id)
            .order_by("pk")
            .values_list("pk", "workspace_id", "client_id")[:EVENTS_BATCH]
        )
        if not events:
            return 0
        health_mark_due(clients=[(ws, client) for _pk, ws, client in events], now=now)
        cursor.last_id = events[-1][0]
        cursor.save(update_fields=["last_id"])
    return len(events)


@register_job
def scan_health_due(now: datetime) -> int:
    """Recompute the clients whose moment has come (a batch); returns how many were read."""
    with transaction.atomic():
        rows = ClientHealth.objects.filter(health_due_at__isnull=False, health_due_at__lte=now)
        rows = skip_locked(rows)
        due = list(rows.order_by("health_due_at", "id").values_list("client_id", flat=True)[:BATCH])
        if not due:
            return 0
        health_recompute(client_ids=due, now=now)
    return len(due)
