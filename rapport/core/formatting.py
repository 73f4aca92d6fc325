"""One formatting policy for dates, times, numbers and money in en, el, ro and id.

Pages, emails, PDFs and the timeline all format through here or through the filters of the
``rapport`` template library, which call these functions:

- dates and times follow Django's format modules in ``rapport.core.formats`` (day first, a
  24-hour clock): ``date_text`` / ``datetime_text`` or ``{{ d|date:"DATE_FORMAT" }}``;
- amounts and numbers follow Babel's CLDR data for the same language (``money_text``,
  ``number_text``), whose separators the format modules repeat.

Stored values are language-free (ISO dates, ``Decimal`` strings); they become text only when
read, in the reader's language (docs/formatting.md).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern
from django.utils import timezone, translation
from django.utils.formats import date_format

from rapport.core.money import currencies, to_minor
from rapport.core.texts import system_text

# The CLDR locale whose numbers each of our languages uses.
BABEL_LOCALES = {"en": "en_GB", "el": "el_GR", "ro": "ro_RO", "id": "id_ID"}


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of ``language`` (default: the active one)."""
    return BABEL_LOCALES.get(language or translation.get_language() or "en", "en_GB")


# Babel parses the locale and the pattern on every call unless given parsed ones; a list page
# formats a few numbers per row, so both are parsed once per process.
@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def _decimal_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


_CODE_THEN_DIGIT = re.compile(r"^(-?[A-Z]{3})(?=\d)")


def money_text(amount: Decimal | int | str, currency: str, language: str | None = None) -> str:
    """``amount`` in ``currency`` as a reader of ``language`` writes it: "1.234,50 €" in Greek,
    "€1,234.50" in English. Rounded to the currency's minor unit."""
    value = Decimal(str(amount))
    if currency in currencies():
        value = to_minor(value, currency)
    text = format_currency(value, currency, locale=_locale(babel_locale(language)))
    # CLDR's currency spacing, which Babel leaves out: "RON 1,234.50", not "RON1,234.50".
    return _CODE_THEN_DIGIT.sub("\\1\u00a0", text)


def number_text(value: Decimal | int | str, digits: int = 0, language: str | None = None) -> str:
    """A number with ``digits`` decimals and the language's separators ("1.234,5" in Greek)."""
    return format_decimal(
        Decimal(str(value)),
        format=_decimal_pattern(digits),
        locale=_locale(babel_locale(language)),
    )


def date_text(day: date | datetime, *, short: bool = False) -> str:
    """A date in the active language ("6 Dec 2026"; "06/12/2026" when ``short``). A datetime
    counts as the day it is in the active time zone."""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return str(date_format(day, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT"))


def month_text(month: date, language: str | None = None, *, year: bool = True) -> str:
    """A month as a reader of ``language`` names it on its own ("May 2026", "Μάι 2026",
    "mai 2026", "Mei 2026"; without the year when ``year`` is false): CLDR's stand-alone
    abbreviation, which in Greek is the nominative rather than the genitive of a full date."""
    return format_date(month, "LLL y" if year else "LLL", locale=_locale(babel_locale(language)))


def datetime_text(moment: datetime, *, short: bool = False) -> str:
    """A moment in the active language and time zone ("6 Dec 2026, 19:40")."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return str(date_format(moment, "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"))


# --- Values kept in JSON (timeline events, alerts) and shown later -----------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# "330.00 EUR", as older events and alerts stored amounts (in no one's format).
_AMOUNT_CODE = re.compile(r"^(-?\d+(?:\.\d+)?) ([A-Z]{3})$")


def readable_value(value: Any, *, short: bool = True) -> Any:
    """A stored value as the reader reads it: an ISO date or datetime in their format and time
    zone, "330.00 EUR" as money in their language, a stored text reference
    (``rapport.core.texts``) in their language; anything else unchanged."""
    if isinstance(value, dict):
        return system_text(value)
    if not isinstance(value, str):
        return value
    try:
        if _ISO_MOMENT.match(value):
            return datetime_text(datetime.fromisoformat(value), short=short)
        if _ISO_DATE.match(value):
            return date_text(date.fromisoformat(value), short=short)
    except ValueError:
        return value
    amount = _AMOUNT_CODE.match(value)
    if amount and amount.group(2) in currencies():
        try:
            return money_text(Decimal(amount.group(1)), amount.group(2))
        except InvalidOperation:
            return value
    return value


def readable(data: dict[str, Any], *, short: bool = True) -> dict[str, Any]:
    """Every value of ``data`` through :func:`readable_value` (for ``%``-formatting a
    translated sentence with stored parameters)."""
    return {key: readable_value(value, short=short) for key, value in data.items()}
