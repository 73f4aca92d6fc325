"""Cursor pagination for the API lists: the rows after (or before) the last one a client saw.

A page is found by its position in the list's order, not by a number: ``WHERE (name, id) >
(%s, %s) ORDER BY name, id LIMIT 51``, which an index answers by reading 51 entries whatever the
depth. There is no ``COUNT(*)`` (at 30,000 contacts the count alone cost more than the rest of
the request), and a client walking the pages neither skips nor repeats a row when others are
added or archived meanwhile. See docs/adr/0010-api-cursor-pagination.md.

The cursor is opaque to clients: URL-safe base64 of ``["n" | "p", [key values]]`` ("n" for the
page after the key, "p" for the page before it). Its values are bound parameters, checked
against the key fields' types, so a forged cursor is a 400 naming ``cursor`` or a position in
the list, never anything else. ``page_size`` is 1-200 (default 50).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Field, Model, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

_POSITIVE_INT = re.compile(r"[1-9][0-9]{0,8}")
_MAX_CURSOR_LENGTH = 1000

Row = dict[str, Any]


@dataclass(frozen=True)
class Ordering:
    """A list's order: model fields, all ascending or all descending, ending with the id so
    that it is total. ``Ordering(Contact, ("name", "id"))``, ``Ordering(Project,
    ("-created_at", "-id"))``."""

    model: type[Model]
    fields: tuple[str, ...]

    def __post_init__(self) -> None:
        descending = {name.startswith("-") for name in self.fields}
        if len(descending) != 1:
            raise ValueError(f"{self.fields}: one direction for every key field")
        if self.names[-1] not in {"id", "pk"}:
            raise ValueError(f"{self.fields}: the last key field must be the id")
        for field in self.key_fields:
            if field.null:
                raise ValueError(f"{field}: a key field cannot be null")

    @property
    def descending(self) -> bool:
        return self.fields[0].startswith("-")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name.removeprefix("-") for name in self.fields)

    @property
    def key_fields(self) -> tuple[Field[Any, Any], ...]:
        fields: list[Field[Any, Any]] = []
        for name in self.names:
            field = self.model._meta.get_field(name)
            # A key is a column of the model, never the reverse side of a relation.
            assert isinstance(field, Field), name
            fields.append(field)
        return tuple(fields)

    @property
    def attnames(self) -> tuple[str, ...]:
        return tuple(field.attname for field in self.key_fields)


@dataclass(frozen=True)
class Window:
    """Which page a request asks for: ``size`` rows after ``key`` (or before it)."""

    size: int
    key: tuple[Any, ...] | None = None
    backwards: bool = False


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(direction: str, key: Sequence[Any]) -> str:
    payload = json.dumps([direction, [_encode_value(v) for v in key]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _bad_cursor() -> ValidationError:
    message = _("Not a cursor of this list: use a next or previous link.")
    return ValidationError({"cursor": [message]})


def decode_cursor(text: str, ordering: Ordering) -> tuple[bool, tuple[Any, ...]]:
    """``(backwards, key)`` of a cursor this list gave out; a 400 for anything else."""
    if len(text) > _MAX_CURSOR_LENGTH:
        raise _bad_cursor()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        direction, values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise _bad_cursor() from None
    fields = ordering.key_fields
    if direction not in {"n", "p"} or not isinstance(values, list) or len(values) != len(fields):
        raise _bad_cursor()
    key = []
    for field, value in zip(fields, values, strict=True):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise _bad_cursor()
        try:
            python = field.to_python(value)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise _bad_cursor() from None
        if python is None or (isinstance(python, int) and not -(2**63) <= python < 2**63):
            raise _bad_cursor()
        if isinstance(python, datetime) and python.tzinfo is None:
            raise _bad_cursor()  # the list gave it out with its offset
        key.append(python)
    return direction == "p", tuple(key)


class CursorPagination(BasePagination):
    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def _single(self, request: Request, name: str) -> str | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1:
            raise ValidationError({name: [_("Give this parameter once.")]})
        return str(values[0])

    def window(self, request: Request, ordering: Ordering) -> Window:
        """The page asked for; a bad ``page_size`` or ``cursor`` is a 400 naming it."""
        size = self.page_size
        raw_size = self._single(request, self.page_size_query_param)
        if raw_size is not None:
            if not _POSITIVE_INT.fullmatch(raw_size) or int(raw_size) > self.max_page_size:
                raise ValidationError(
                    {
                        self.page_size_query_param: [
                            _("Must be a whole number from 1 to %(max)s.")
                            % {"max": self.max_page_size}
                        ]
                    }
                )
            size = int(raw_size)
        if "page" in request.query_params:
            # Page numbers were never this list's: say so rather than answer page one again.
            message = _("This list is paged by cursor: follow its next and previous links.")
            raise ValidationError({"page": [message]})
        cursor = self._single(request, self.cursor_query_param)
        if cursor is None:
            return Window(size=size)
        backwards, key = decode_cursor(cursor, ordering)
        return Window(size=size, key=key, backwards=backwards)

    def apply(self, queryset: QuerySet[Any], ordering: Ordering, window: Window) -> QuerySet[Any]:
        """``queryset`` narrowed to the window, in order, one row more than the page (to know
        whether another page follows). Rows of a backwards window come in reverse order."""
        reverse = window.backwards
        if window.key is not None:
            # (a, b) > (x, y) walking forwards in ascending order; the other three cases flip it.
            after = ordering.descending == reverse
            lookup = TupleGreaterThan if after else TupleLessThan
            queryset = queryset.filter(
                lookup(Tuple(*(F(name) for name in ordering.names)), window.key)
            )
        descending = ordering.descending != reverse
        order = [f"-{name}" if descending else name for name in ordering.names]
        return queryset.order_by(*order)[: window.size + 1]

    def respond(
        self, request: Request, rows: list[Row], ordering: Ordering, window: Window
    ) -> Response:
        """The page of ``rows`` (as ``apply`` selected them) with its next and previous links."""
        more = len(rows) > window.size
        rows = rows[: window.size]
        if window.backwards:
            rows.reverse()
        keys = ordering.attnames

        def key_of(row: Row) -> tuple[Any, ...]:
            return tuple(row[name] for name in keys)

        first = key_of(rows[0]) if rows else window.key
        last = key_of(rows[-1]) if rows else window.key
        if window.backwards:
            has_next, has_previous = True, more
        else:
            has_next, has_previous = more, window.key is not None
        base = request.build_absolute_uri()
        return Response(
            {
                "next": self._link(base, "n", last) if has_next else None,
                "previous": self._link(base, "p", first) if has_previous else None,
                "results": rows,
            }
        )

    def _link(self, base: str, direction: str, key: tuple[Any, ...] | None) -> str:
        # A page with a link has a key: its own first or last row, or the cursor it came from.
        assert key is not None
        return replace_query_param(base, self.cursor_query_param, encode_cursor(direction, key))

    # --- OpenAPI ---------------------------------------------------------------------------------
    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the cursor of a next or previous link.",
                "schema": {"type": "string", "maxLength": _MAX_CURSOR_LENGTH},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The following page; null on the last."},
                "previous": {**link, "description": "The page before; null on the first."},
                "results": schema,
            },
        }
