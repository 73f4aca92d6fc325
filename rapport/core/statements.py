"""Hot reads written once as SQL, their rows made into model instances by Django's own rules.

Building and compiling a queryset costs more Python than running it: about 1.2 ms against
0.7 ms for a simple SELECT on the benchmark machine (docs/performance.md). A read that every
request makes (the API token lookup) is therefore written as one statement, composed once per
process from the models' own table and column names, and its columns are turned into Python
values with the converters the ORM would apply (SQLite returns datetimes as text, JSON is
decoded, and so on) before ``Model.from_db`` builds the instances. Only for reads on every
request; everything else uses the ORM.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet

T = TypeVar("T")
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class ModelColumns:
    """The concrete columns of ``model`` under a table alias, and how to read them back."""

    def __init__(self, model: type[Model], alias: str, using: str = "default") -> None:
        self.model = model
        self.using = using
        connection = connections[using]
        quote = connection.ops.quote_name
        fields: Sequence[Field[Any, Any]] = model._meta.concrete_fields  # type: ignore[assignment]
        self.sql = ", ".join(f"{quote(alias)}.{quote(str(field.column))}" for field in fields)
        self.attnames = [field.attname for field in fields]
        self.width = len(fields)
        self._converters: list[tuple[int, Any, list[Converter]]] = []
        for index, field in enumerate(fields):
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if converters:
                self._converters.append((index, column, converters))

    def instance(self, row: Sequence[Any], start: int) -> Model:
        """The instance whose columns begin at ``row[start]``."""
        values = list(row[start : start + self.width])
        connection = connections[self.using]
        for index, column, converters in self._converters:
            value = values[index]
            for convert in converters:
                value = convert(value, column, connection)
            values[index] = value
        return self.model.from_db(self.using, self.attnames, values)


def joined_columns(
    models: Sequence[type[Model]], aliases: str, using: str
) -> tuple[ModelColumns, ...]:
    """The columns of each model under its one-letter alias, in order, for one SELECT."""
    return tuple(
        ModelColumns(model, alias, using) for model, alias in zip(models, aliases, strict=True)
    )


def select_list(columns: Sequence[ModelColumns]) -> str:
    return ", ".join(c.sql for c in columns)


def instances_of(row: Sequence[Any], columns: Sequence[ModelColumns]) -> list[Model]:
    """The instances whose columns follow one another in ``row``, in the order of ``columns``."""
    instances, start = [], 0
    for reader in columns:
        instances.append(reader.instance(row, start))
        start += reader.width
    return instances


class CompiledValues:
    """A ``values_list()`` queryset compiled once: its SQL, its parameters, its converters.

    ``rows()`` runs the same statement again without building or compiling the queryset, and
    converts the columns as the ORM would. For reads whose SQL depends only on known inputs
    (see ``StatementCache``).
    """

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.using = queryset.db
        compiler = queryset.query.get_compiler(self.using)
        self.sql: str | None
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:  # e.g. queryset.none(): no statement at all
            self.sql, self.params = None, ()
        fields = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        self._converters = list(compiler.get_converters(fields).items())

    def rows(self) -> list[Any]:
        if self.sql is None:
            return []
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if not self._converters:
            return rows
        converted = []
        for row in rows:
            values = list(row)
            for index, (converters, expression) in self._converters:
                value = values[index]
                for convert in converters:
                    value = convert(value, expression, connection)
                values[index] = value
            converted.append(tuple(values))
        return converted


class StatementCache:
    """Compiled statements by the inputs that determine their SQL, least recently used first out.

    The key must hold every input of the queryset that is built on a miss (ids, filter values,
    the date); a queryset that reads the database or the clock while it is built must not be
    cached this way. One per process; the lock keeps it whole under threaded workers.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return cast(T, found)
        built = build()
        with self._lock:
            self._entries[key] = built
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return built

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
