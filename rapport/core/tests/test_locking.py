"""skip_locked: two claims at the same moment take different rows (PostgreSQL), and on a
database without SKIP LOCKED the rows are read as they are."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from rapport.care.models import HealthCursor
from rapport.core.locking import skip_locked


def _claim(limit: int) -> list[int]:
    rows = skip_locked(HealthCursor.objects.order_by("pk"))
    return list(rows.values_list("pk", flat=True)[:limit])


@pytest.mark.django_db(transaction=True)
def test_a_second_claim_takes_the_rows_the_first_does_not_hold() -> None:
    ids = [HealthCursor.objects.create(name=f"c{i}").pk for i in range(4)]
    if not connection.features.has_select_for_update_skip_locked:
        assert not skip_locked(HealthCursor.objects.all()).query.select_for_update
        assert _claim(2) == ids[:2]
        return
    held = threading.Event()
    release = threading.Event()
    first: list[int] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                first.extend(_claim(2))
                held.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        assert held.wait(10)
        with transaction.atomic():
            second = _claim(2)
    finally:
        release.set()
        worker.join(10)
    assert first == ids[:2]
    assert second == ids[2:]
