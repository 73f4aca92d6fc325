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

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, date, datetime
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
        self.table = quote(model._meta.db_table)
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


def fetch_joined(
    sql: str, params: Sequence[Any], columns: Sequence[ModelColumns], using: str
) -> list[Model] | None:
    """The instances of the first row of a composed statement whose columns are ``columns``
    one model after another (``select_list``), or None when it finds no row."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else instances_of(row, columns)


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


class PreparedQueryError(Exception):
    """The queryset cannot be prepared: a parameter does not reach the SQL as itself."""


# Probe values: never ids, dates or times of real rows, and different from one another.
_PROBE_INT = -(2**50)
_PROBE_DAY = date(1901, 2, 3)


def _probe(kind: type, index: int) -> Any:
    if kind is int:
        return _PROBE_INT - index
    if kind is datetime:
        return datetime(1901, 2, 3, 4, 5, 6, 1000 + index, tzinfo=UTC)
    if kind is date:
        return date.fromordinal(_PROBE_DAY.toordinal() + index)
    raise PreparedQueryError(f"parameters are int, date or datetime, not {kind.__name__}")


def _to_db(kind: type, value: Any, connection: BaseDatabaseWrapper) -> Any:
    """``value`` as the ORM passes it to the driver for a field of this kind."""
    if value is None:
        # None changes the SQL itself (IS NULL): a different statement, not a parameter.
        raise PreparedQueryError("a prepared query's parameters cannot be None")
    if kind is int:
        return int(value)
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime):  # a DateField would take its date; say which is meant
        raise PreparedQueryError("a date parameter was given a datetime")
    return connection.ops.adapt_datefield_value(value)


class _Prepared:
    """One database's compiled statement: SQL, parameters with slots, and the compiler."""

    def __init__(self, probe: QuerySet[Any], compiler: Any, sql: str, params: list[Any]):
        self.probe = probe
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots: list[tuple[int, str]] = []


class PreparedQuery[M: Model]:
    """A page's read whose queryset is built and compiled once per process, not per request.

    ``build(**params)`` returns the queryset (filters, ``select_related``, annotations,
    ordering, slice; ``prefetch_related`` too, whose own reads stay the ORM's). Each
    parameter is declared with its kind (int, date or datetime) and may only reach the SQL as
    a bound value of a field of that kind: an id, a date or a time compared or matched
    exactly. The first call builds the queryset with probe values, compiles it and notes
    where each probe lands among the statement's parameters; it then builds and compiles the
    same queryset with the real values and checks that it gives the same SQL and the same
    parameters in the same places, or raises ``PreparedQueryError`` (so a parameter that
    changes the SQL, or reaches it transformed, fails at once rather than reading other rows).
    Later calls put their values in those places and read the rows through Django's own
    model iterable: instances, ``select_related`` objects, annotations and prefetches as the
    ORM makes them. Building and compiling is about half the cost of a page's read on the
    benchmark machine (docs/performance.md, ADR 0012).

    ``build`` must depend on its parameters only: a queryset that reads the database or the
    clock while it is built would keep what it read. Results are lists, never querysets: a
    statement cannot be narrowed after it is prepared.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **params: type) -> None:
        self.build = build
        self.kinds = params
        self._prepared: dict[str, _Prepared] = {}
        self._lock = threading.Lock()

    def list(self, *, using: str = "default", **values: Any) -> list[M]:
        if set(values) != set(self.kinds):
            raise TypeError(f"expected {sorted(self.kinds)}, got {sorted(values)}")
        connection = connections[using]
        prepared = self._prepared.get(using) or self._prepare(using, values)
        params = list(prepared.params)
        for index, name in prepared.slots:
            params[index] = _to_db(self.kinds[name], values[name], connection)
        compiler = copy.copy(prepared.compiler)
        compiler.connection = connection  # this thread's connection, not the preparer's
        sql = prepared.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = prepared.probe.all()  # a clone: the probe itself is never run
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)

    def first(self, *, using: str = "default", **values: Any) -> M | None:
        rows = self.list(using=using, **values)
        return rows[0] if rows else None

    def _prepare(self, using: str, values: dict[str, Any]) -> _Prepared:
        connection = connections[using]
        probes = {name: _probe(kind, i) for i, (name, kind) in enumerate(self.kinds.items())}
        probe = self.build(**probes).using(using)
        compiler = probe.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet as exc:
            raise PreparedQueryError("the probe query matches nothing by construction") from exc
        prepared = _Prepared(probe, compiler, sql, list(params))
        by_db = {_to_db(self.kinds[name], v, connection): name for name, v in probes.items()}
        prepared.slots = [(i, by_db[p]) for i, p in enumerate(params) if _hashable_in(p, by_db)]
        missing = set(self.kinds) - {name for _i, name in prepared.slots}
        if missing:
            raise PreparedQueryError(f"{sorted(missing)} do not reach the SQL as bound values")
        real = self.build(**values).using(using).query.get_compiler(using).as_sql()
        expected = list(params)
        for index, name in prepared.slots:
            expected[index] = _to_db(self.kinds[name], values[name], connection)
        if real[0] != sql or list(real[1]) != expected:
            raise PreparedQueryError("the real values give another statement than the probes")
        with self._lock:
            self._prepared.setdefault(using, prepared)
        return prepared


def _hashable_in(value: Any, mapping: dict[Any, str]) -> bool:
    try:
        return value in mapping
    except TypeError:  # lists and other unhashable parameters are never probes
        return False
