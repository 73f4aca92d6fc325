"""The currencies a person chooses from: ISO 4217 codes in use today, the common ones first.

Typing "RON" by hand invites "LEI", "Ron" or "EURO"; a list cannot be mistyped. The list is the
currencies that some country uses as legal tender today, by Babel's CLDR data (pinned in
``uv.lock``, so the same on every machine); withdrawn ones (GRD, ROL, the old rupiah) are not
offered for new documents, though a record that already holds one keeps it.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name, get_territory_currencies
from django.utils import translation
from django.utils.translation import gettext as _

# The currencies of the four languages' countries and of most freelancers' clients.
COMMON_CURRENCIES = ("EUR", "RON", "IDR", "USD", "GBP", "CHF")


@cache
def currencies_in_use(today: date) -> tuple[str, ...]:
    """ISO codes that are legal tender somewhere on ``today``, sorted."""
    codes: set[str] = set()
    for territory in Locale.parse("en").territories:
        if isinstance(territory, str) and len(territory) == 2 and territory.isalpha():
            codes.update(get_territory_currencies(territory, start_date=today))
    return tuple(sorted(codes))


def _locale() -> Locale:
    try:
        return Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def currency_label(code: str, locale: Locale) -> str:
    return f"{code} — {get_currency_name(code, locale=locale)}"


def currency_choices(current: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a ``<select>``: common currencies, then all in use, named in the viewer's
    language. ``current`` (a record's own value) is kept even if it is no longer in use, so
    editing an old record does not change its currency."""
    locale = _locale()
    codes = list(currencies_in_use(date.today()))
    if current and current not in codes:
        codes = sorted([*codes, current])
    return [
        (_("Common currencies"), [(c, currency_label(c, locale)) for c in COMMON_CURRENCIES]),
        (_("All currencies"), [(c, currency_label(c, locale)) for c in codes]),
    ]
