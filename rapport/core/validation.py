"""Checks shared by forms, API serializers and services."""

from __future__ import annotations

import zoneinfo
from functools import cache

from babel.numbers import list_currencies
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(known_timezones())]


def check_timezone(value: str, *, field: str = "timezone", allow_blank: bool = False) -> None:
    if allow_blank and value == "":
        return
    if value not in known_timezones():
        raise ApplicationError(
            _("“%(value)s” is not a known time zone (e.g. Europe/Athens).") % {"value": value},
            field=field,
        )


def check_currency(value: str, *, field: str = "currency") -> None:
    if value not in known_currencies():
        raise ApplicationError(
            _("“%(value)s” is not an ISO 4217 currency code (e.g. EUR, RON, IDR).")
            % {"value": value},
            field=field,
        )


def clean_tags(values: list[str] | str, *, field: str) -> list[str]:
    """Normalise tags: lower case, trimmed, unique, in the given order."""
    if isinstance(values, str):
        values = values.split(",")
    seen: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise ApplicationError(_("Each tag must be text."), field=field)
        tag = raw.strip().lower()
        if not tag:
            continue
        if len(tag) > 50 or "|" in tag:
            raise ApplicationError(
                _("A tag has at most 50 characters and no “|”: %(tag)s") % {"tag": tag[:60]},
                field=field,
            )
        if tag not in seen:
            seen.append(tag)
    if len(seen) > 20:
        raise ApplicationError(_("At most 20 tags."), field=field)
    return seen
