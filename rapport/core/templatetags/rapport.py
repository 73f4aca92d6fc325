"""Template helpers: money and numbers in the viewer's locale, status badges."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from django import template
from django.utils.translation import gettext as _

# The policy lives in rapport.core.formatting; these names stay importable from here.
from rapport.core.formatting import BABEL_LOCALES, _locale, babel_locale, money_text, number_text

__all__ = ["BABEL_LOCALES", "babel_locale"]

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None, currency: str = "EUR") -> str:
    """``{{ project.budget|money:project.currency }}`` -> "1.234,50 €" in Greek."""
    if amount in (None, ""):
        return ""
    return money_text(Decimal(str(amount)), currency)


@register.filter
def number(value: Any, digits: int = 0) -> str:
    """``{{ hours|number:1 }}`` -> "1.234,5" in Greek, "1,234.5" in English."""
    if value in (None, ""):
        return ""
    return number_text(Decimal(str(value)), digits)


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
