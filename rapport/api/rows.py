"""List rows read as plain values and written as the output serializer would write them.

A list page of 50 contacts through model instances and ``Serializer(many=True)`` spent most of
its time in generic machinery: building 50 instances and their prefetch managers, then walking
every field of every row through DRF. Here each output serializer is read once per process into
a ``RowWriter``: the columns to select (``values_list``) and, per column, the one conversion the
serializer would apply (none for text and numbers, ISO 8601 for dates, the field's own
``to_representation`` for anything else). Reverse relations shown as nested lists (a contact's
important dates) are read with one more query for the whole page.

The output is the serializer's: ``tests/test_rows.py`` checks every list against
``Serializer(obj).data``. Used for output only; input still goes through the serializers and
their validation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel, Model, QuerySet
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import Field
from rest_framework.settings import api_settings

from rapport.api.fields import WorkspaceRelatedField
from rapport.core.statements import CompiledValues

Row = dict[str, Any]
Represent = Callable[[Any], Any]

# Fields whose to_representation gives back what the database gives (str, int, bool).
_AS_IS = {
    serializers.CharField.to_representation,
    serializers.IntegerField.to_representation,
    serializers.BooleanField.to_representation,
    serializers.ChoiceField.to_representation,
}
_DATETIME = "datetime"


def _iso(value: Any) -> Any:
    return value.isoformat()


@dataclass(frozen=True)
class Column:
    name: str  # the key in the output
    source: str  # what values_list() selects: a model attname or an annotation
    # None: the value as it comes; _DATETIME: ISO 8601 in the current time zone; or a function.
    represent: Represent | str | None


@dataclass(frozen=True)
class CompiledRows:
    """The statements of one list page: its rows, and each nested list's rows."""

    rows: CompiledValues
    nested: tuple[CompiledValues, ...]


@dataclass(frozen=True)
class Nested:
    """A reverse relation listed inside each row (``important_dates`` of a contact)."""

    name: str
    model: type[Model]
    parent_attname: str  # the related model's key to the row ("contact_id")
    order: tuple[str, ...]
    writer: RowWriter


def _represent(field: Field) -> Represent | str | None:
    method = type(field).to_representation
    if method in _AS_IS:
        return None
    if isinstance(field, serializers.DateTimeField):
        output = getattr(field, "format", api_settings.DATETIME_FORMAT)
        if isinstance(output, str) and output.lower() == ISO_8601:
            return _DATETIME
    elif isinstance(field, serializers.DateField | serializers.TimeField):
        setting = (
            api_settings.DATE_FORMAT
            if isinstance(field, serializers.DateField)
            else api_settings.TIME_FORMAT
        )
        output = getattr(field, "format", setting)
        if isinstance(output, str) and output.lower() == ISO_8601:
            return _iso
    return field.to_representation


class RowWriter:
    """Selects and writes the rows of one output serializer; build with ``writer_for``."""

    def __init__(self, serializer_class: type[serializers.Serializer]) -> None:
        meta = getattr(serializer_class, "Meta", None)
        model: type[Model] = meta.model  # type: ignore[union-attr]
        self.columns: list[Column] = []
        self.nested: list[Nested] = []
        for name, field in serializer_class().fields.items():
            if field.write_only:
                continue
            source = str(field.source)
            if isinstance(field, WorkspaceRelatedField):
                self.columns.append(Column(name, f"{source}_id", None))
                continue
            model_field = _model_field(model, source)
            if isinstance(field, serializers.ListSerializer) and isinstance(
                model_field, ForeignObjectRel
            ):
                child = cast(type[serializers.Serializer], type(field.child))
                related: type[Model] = model_field.related_model  # type: ignore[assignment]
                self.nested.append(
                    Nested(
                        name=name,
                        model=related,
                        parent_attname=model_field.field.attname,
                        order=(*related._meta.ordering, "id"),  # type: ignore[misc]
                        writer=writer_for(child),
                    )
                )
                continue
            attname = str(getattr(model_field, "attname", source))
            self.columns.append(Column(name, attname, _represent(field)))
        self.sources = tuple(column.source for column in self.columns)

    def compile(self, queryset: QuerySet[Any]) -> CompiledRows:
        """The statements that read ``queryset``'s rows and their nested lists.

        The queryset's own joins and prefetches are not used (the columns say what to read).
        A nested list is read for the rows of the same queryset as a subquery, so that its
        statement, like the rows', depends only on what the queryset was built from.
        """
        rows = queryset.select_related(None).prefetch_related(None)
        nested = tuple(
            CompiledValues(
                item.model._default_manager.filter(
                    **{f"{item.parent_attname}__in": rows.values("pk")}
                )
                .order_by(*item.order)
                .values_list(item.parent_attname, *item.writer.sources)
            )
            for item in self.nested
        )
        return CompiledRows(CompiledValues(rows.values_list(*self.sources)), nested)

    def run(self, compiled: CompiledRows) -> list[Row]:
        """The rows as the serializer writes them, nested lists included."""
        rows = self.write(compiled.rows.rows())
        by_id: dict[Any, Row] = {row["id"]: row for row in rows}
        for item, statement in zip(self.nested, compiled.nested, strict=True):
            for row in rows:
                row[item.name] = []
            values = statement.rows()
            children = item.writer.write([v[1:] for v in values])
            for value, child in zip(values, children, strict=True):
                parent = by_id.get(value[0])
                if parent is not None:  # not the row read beyond the page
                    parent[item.name].append(child)
        return rows

    def fetch(self, queryset: QuerySet[Any]) -> list[Row]:
        return self.run(self.compile(queryset))

    def write(self, values: list[tuple[Any, ...]]) -> list[Row]:
        tz: tzinfo = timezone.get_current_timezone()
        plans = [(i, column.name, column.represent) for i, column in enumerate(self.columns)]
        rows: list[Row] = []
        for value_row in values:
            row: Row = {}
            for index, name, represent in plans:
                value = value_row[index]
                if value is None or represent is None:
                    row[name] = value
                elif represent is _DATETIME:
                    row[name] = _datetime(value, tz)
                else:
                    row[name] = represent(value)  # type: ignore[operator]
            rows.append(row)
        return rows


def _datetime(value: datetime, tz: tzinfo) -> str:
    """As DRF's DateTimeField writes it: in the current time zone, "Z" for UTC."""
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _model_field(model: type[Model], source: str) -> Any:
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:  # an annotation of the selectors (a project's progress)
        return None


_WRITERS: dict[type[serializers.Serializer], RowWriter] = {}


def writer_for(serializer_class: type[serializers.Serializer]) -> RowWriter:
    """The writer of ``serializer_class``, built on first use and kept for the process."""
    writer = _WRITERS.get(serializer_class)
    if writer is None:
        writer = _WRITERS[serializer_class] = RowWriter(serializer_class)
    return writer
