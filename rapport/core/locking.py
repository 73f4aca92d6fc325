"""Row locks for the tick's scanners and the outbox's deliverers."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def skip_locked[Q: QuerySet[Any]](rows: Q) -> Q:
    """``rows`` locked for the caller's transaction, skipping the rows another tick or worker
    holds, so that two running at once take different rows instead of waiting or writing
    twice. Only this model's rows are locked, not those its ``select_related`` joins. On a
    database without ``SKIP LOCKED`` (SQLite: one writer at a time) ``rows`` as they are."""
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True, of=("self",))
    return rows
