"""Rows for list responses without rebuilding a serializer's fields on every request.

A DRF ``ModelSerializer`` introspects its model and builds its fields each time one is
instantiated, then walks them per row with generic machinery; for a page of 50 rows that was
most of a list request's CPU. Here the fields of each output serializer are built once per
process and applied to each row directly: the same fields, the same ``get_attribute`` and
``to_representation``, so the output is the serializer's (``tests/test_rows.py`` checks it
against ``Serializer(many=True).data`` for every resource). Used for output only; input still
goes through the serializer and its validation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.db.models.manager import BaseManager
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.serializers import BaseSerializer, ListSerializer, Serializer

Row = dict[str, Any]


_READABLE: dict[type[BaseSerializer], tuple[tuple[str, Field], ...]] = {}


def _readable(serializer_class: type[BaseSerializer]) -> tuple[tuple[str, Field], ...]:
    """The output fields of ``serializer_class``, built on first use and kept."""
    fields = _READABLE.get(serializer_class)
    if fields is None:
        instance = serializer_class()
        assert isinstance(instance, Serializer)
        fields = tuple((name, f) for name, f in instance.fields.items() if not f.write_only)
        _READABLE[serializer_class] = fields
    return fields


def _child(field: ListSerializer) -> type[BaseSerializer]:
    return cast(type[BaseSerializer], type(field.child))


def _field_value(field: Field, obj: Any) -> Any:
    if isinstance(field, ListSerializer):
        # A prefetched relation: read the prefetch cache, not a new queryset per row.
        cached = getattr(obj, "_prefetched_objects_cache", {}).get(field.source)
        if cached is not None:
            return [row_of(_child(field), item) for item in cached]
    attribute = field.get_attribute(obj)
    if attribute is None:
        return None
    check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    if check is None:
        return None
    if isinstance(field, ListSerializer):
        items = attribute.all() if isinstance(attribute, BaseManager) else attribute
        return [row_of(_child(field), item) for item in items]
    if isinstance(field, Serializer):
        return row_of(type(field), attribute)
    return field.to_representation(attribute)


def row_of(serializer_class: type[BaseSerializer], obj: Any) -> Row:
    """What ``serializer_class(obj).data`` gives, as a plain dict."""
    row: Row = {}
    for name, field in _readable(serializer_class):
        try:
            row[name] = _field_value(field, obj)
        except SkipField:
            continue
    return row


def rows_of(serializer_class: type[BaseSerializer], objects: Iterable[Any]) -> list[Row]:
    return [row_of(serializer_class, obj) for obj in objects]
