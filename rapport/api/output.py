"""Values written as the API's serializers write them, for the list reads.

A list page reads its rows with ``values()`` and builds each output dict with a plain function
per resource (``contact_row``, ``project_row``…), next to the resource's serializer: going
through ``Serializer(many=True)`` costs a model instance and a walk over every field of every
row, several times the rest of the request. These helpers are the few conversions those
functions need; everything else (text, numbers, booleans, ids, JSON) is written as the database
gives it. ``tests/test_list_output.py`` holds every list to ``Serializer(obj).data``.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal

from django.db.models import Field, Model
from django.utils import timezone

_CENTS = Decimal("0.01")
_UTC_ZONE = zoneinfo.ZoneInfo("UTC")  # ZoneInfo keeps one instance per key


def output_zone() -> tzinfo:
    """The time zone datetimes are written in: the current one, as ``datetime.UTC`` when it
    is UTC, the zone of the datetimes the database gives, so that they need no conversion."""
    zone = timezone.get_current_timezone()
    return UTC if zone is _UTC_ZONE else zone


def datetime_text(value: datetime | None, zone: tzinfo) -> str | None:
    """As DRF's DateTimeField: ISO 8601 in ``zone`` (``output_zone()``), "Z" for UTC."""
    if value is None:
        return None
    if value.tzinfo is not zone:
        value = value.astimezone(zone)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def date_text(value: date | None) -> str | None:
    """As DRF's DateField: ISO 8601."""
    return None if value is None else value.isoformat()


def local_time_text(value: time | None) -> str | None:
    """As ``fields.LocalTimeField``: hours and minutes, "09:00"."""
    return None if value is None else value.strftime("%H:%M")


def money_text(value: Decimal | None) -> str | None:
    """As a DecimalField with two decimal places: a string, "4500.00"."""
    return None if value is None else f"{value.quantize(_CENTS):f}"


def value_names(model: type[Model], fields: Iterable[str]) -> tuple[str, ...]:
    """The ``values()`` names of a serializer's model fields, in its order: a foreign key's
    column (``client`` → ``client_id``); names that are not concrete fields (a reverse
    relation such as ``important_dates``) are left out, for the row function to fill."""
    names = []
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, Field) and field.concrete:
            names.append(field.attname)
    return tuple(names)
