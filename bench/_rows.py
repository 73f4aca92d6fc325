"""Appending rows to a table fast, for the benches that fill it to a million rows: COPY on
PostgreSQL, multi-row INSERTs elsewhere. Import after Django is set up (``_setup``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


def rows_append(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Append ``rows`` (values in the order of ``columns``) to ``table``, already adapted for
    the database (datetimes and JSON as its driver takes them)."""
    quoted = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            return
        per_statement = max(1, 30_000 // len(columns))  # under SQLite's 32,766 parameters
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quoted} ({names}) VALUES {marks}",
                [v for values in chunk for v in values],
            )
