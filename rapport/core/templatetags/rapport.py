"""Template helpers: money and numbers in the viewer's locale, status badges."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    parse_pattern,
)
from django import template
from django.utils import translation
from django.utils.translation import gettext as _

register = template.Library()

BABEL_LOCALES = {"en": "en_GB", "el": "el_GR", "ro": "ro_RO", "id": "id_ID"}


def babel_locale() -> str:
    return BABEL_LOCALES.get(translation.get_language() or "en", "en_GB")


# Babel parses the locale and the pattern on every call unless given parsed ones; a list page
# formats a few numbers per row, so both are parsed once per process.
@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def _decimal_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@register.filter
def money(amount: Decimal | int | str | None, currency: str = "EUR") -> str:
    """``{{ project.budget|money:project.currency }}`` -> "1.234,50 €" in Greek."""
    if amount in (None, ""):
        return ""
    return format_currency(Decimal(str(amount)), currency, locale=_locale(babel_locale()))


@register.filter
def number(value: Any, digits: int = 0) -> str:
    if value in (None, ""):
        return ""
    return format_decimal(
        Decimal(str(value)), format=_decimal_pattern(digits), locale=_locale(babel_locale())
    )


@register.filter
def percent(value: Any) -> str:
    """Whole percentage points (a milestone's 40) in the active locale: "40%", "40 %" in
    Romanian. Client messages and the portal render under the contact's language, so the sign
    sits where their language puts it (P29)."""
    try:
        points = round(float(value))
    except (TypeError, ValueError):
        return ""
    return format_percent(points / 100, locale=_locale(babel_locale()))


@register.filter
def percent_of(value: float | None) -> str:
    """A share (0.857) as a percentage in the viewer's locale ("86%")."""
    if value is None:
        return ""
    return format_percent(value, locale=_locale(babel_locale()))


@register.filter
def duration(value: timedelta | None) -> str:
    """A duration in words: "3 d 4 h", "2 h 5 min", "40 min"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


@register.simple_tag(takes_context=True)
def current(context: dict[str, Any], *names: str) -> str:
    """``aria-current="page"`` when the current URL name is one of ``names``."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in names:
        return 'aria-current="page"'
    return ""


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (for pagination links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return "?" + encoded if encoded else "?"
