"""The tick's health scan (P37; ADR 0038): the clients whose moment has come, and no other.

``ClientHealth.health_due_at`` is *now* for a client whose figures changed (marked by the
receivers) and otherwise the next moment time alone would change its score; the partial index
``health_due`` holds only rows with a moment. Each run takes a batch of the due rows, oldest
moment first (skipping rows another tick holds), and recomputes them; the computation sets
each row's next moment, so a second run finds nothing to do.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction

from rapport.care.health.services import health_recompute
from rapport.care.models import ClientHealth
from rapport.core.periodic import register_job

BATCH = 200


@register_job
def scan_health_due(now: datetime) -> int:
    """Recompute the clients whose moment has come (a batch); returns how many were read."""
    with transaction.atomic():
        rows = ClientHealth.objects.filter(health_due_at__isnull=False, health_due_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        due = list(rows.order_by("health_due_at", "id").values_list("client_id", flat=True)[:BATCH])
        if not due:
            return 0
        health_recompute(client_ids=due, now=now)
    return len(due)
