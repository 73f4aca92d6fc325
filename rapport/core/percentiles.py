"""Percentiles of durations: in the database where it can, in Python where it cannot.

PostgreSQL computes ``percentile_cont`` over a group (``Percentile``), so a report by month
reads one row a month however many rows the month holds. SQLite has no such aggregate unless
built with an extension, so there the caller reads the values and ``percentile`` computes the
same figure: linear interpolation between the two nearest ranks, as ``percentile_cont`` does,
so both databases answer alike (rapport/core/tests/test_percentiles.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import connections
from django.db.models import Aggregate, DurationField, Expression, F


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` (PostgreSQL only)."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression: Expression | F, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("a percentile's fraction is between 0 and 1")
        # A number written by us, never input: safe in the SQL text.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def in_database(alias: str) -> bool:
    """Whether the database behind ``alias`` computes ``Percentile``."""
    return connections[alias].vendor == "postgresql"


def percentile(values: Sequence[timedelta], fraction: float) -> timedelta | None:
    """The ``fraction`` percentile of ``values`` as ``percentile_cont`` computes it; None for
    no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    below = int(rank)
    above = min(below + 1, len(ordered) - 1)
    share = rank - below
    if share == 0:
        return ordered[below]
    return ordered[below] + (ordered[above] - ordered[below]) * share
