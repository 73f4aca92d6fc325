"""Percentiles of durations: Python's ``percentile`` is ``percentile_cont``'s interpolation, so
the reports show the same medians on SQLite and PostgreSQL (rapport/core/percentiles.py)."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F
from hypothesis import given
from hypothesis import strategies as st

from rapport.clients.models import Client
from rapport.conversations.models import Request
from rapport.core.percentiles import Percentile, in_database, percentile

waits = st.lists(st.integers(0, 10**9).map(lambda s: timedelta(seconds=s)), min_size=1)


@given(waits)
def test_the_median_is_the_middle(values: list[timedelta]) -> None:
    seconds = statistics.median(v.total_seconds() for v in values)
    found = percentile(values, 0.5)
    assert found is not None and found.total_seconds() == seconds


@given(waits, st.floats(0, 1), st.floats(0, 1))
def test_a_percentile_grows_with_its_fraction_and_stays_in_range(
    values: list[timedelta], a: float, b: float
) -> None:
    low, high = sorted((a, b))
    first, second = percentile(values, low), percentile(values, high)
    assert first is not None and second is not None
    assert min(values) <= first <= second <= max(values)


def test_known_values_and_no_values() -> None:
    hours = [timedelta(hours=h) for h in (1, 3, 10)]
    assert percentile(hours, 0.9) == timedelta(hours=8, minutes=36)
    assert percentile(hours, 0) == timedelta(hours=1)
    assert percentile(hours, 1) == timedelta(hours=10)
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        Percentile(F("eta"), 1.5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_the_database_agrees_with_python(acme: Client) -> None:
    start = datetime(2026, 5, 1, 9, tzinfo=UTC)
    minutes = [7, 45, 61, 62, 180, 181, 900, 1441, 3000]
    for m in minutes:
        Request.objects.create(
            workspace=acme.workspace,
            client=acme,
            source=Request.Source.EMAIL,
            subject="Q",
            body="?",
            received_at=start,
            eta=start,
            alert_at=start,
            first_response_at=start + timedelta(minutes=m),
        )
    assert in_database(Request.objects.db)
    wait = ExpressionWrapper(
        F("first_response_at") - F("received_at"), output_field=DurationField()
    )
    values = [timedelta(minutes=m) for m in minutes]
    for fraction in (0.1, 0.5, 0.75, 0.9):
        found = Request.objects.filter(client=acme).aggregate(p=Percentile(wait, fraction))["p"]
        assert abs(found - percentile(values, fraction)) < timedelta(milliseconds=1), fraction
