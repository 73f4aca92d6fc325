"""Checks shared by forms, API serializers and services."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel.numbers import list_currencies
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError
from rapport.core.zones import canonical_zones, zone_choices


def known_timezones() -> frozenset[str]:
    """The zones a person may choose (``core.zones``): current names, no old aliases."""
    return canonical_zones()


@cache
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def timezone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Common zones first, then every current zone (``core.zones``)."""
    return zone_choices()


def check_timezone(value: str, *, field: str = "timezone", allow_blank: bool = False) -> None:
    if allow_blank and value == "":
        return
    if value not in known_timezones():
        # Old aliases (Asia/Calcutta, US/Eastern, Etc/GMT+3) are refused too: a record keeps
        # the name people and other tools use today.
        raise ApplicationError(
            _(
                "“%(value)s” is not a current time zone name; choose one from the list "
                "(e.g. Europe/Athens)."
            )
            % {"value": value},
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


# Dates people type: nothing of a freelancer's work is dated before 2000 (a typo such as 1900 or
# 0202) and nothing is planned more than 20 years ahead (2226 for 2026). Wider than any real
# plan, narrow enough to catch the slip of a key.
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 20


def latest_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def check_date(value: date | datetime | None, *, field: str) -> None:
    """Refuse a date that makes no sense (before 2000 or more than 20 years ahead), naming
    ``field``; None (no date) passes. The one check for every date a person enters."""
    if value is None:
        return
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    latest = latest_date()
    if not EARLIEST_DATE <= day <= latest:
        raise ApplicationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {
                "earliest": date_format(EARLIEST_DATE, "DATE_FORMAT"),
                "latest": date_format(latest, "DATE_FORMAT"),
            },
            field=field,
        )
