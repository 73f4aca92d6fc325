"""The checks of a change request: what changes, and its price and date impact (P19)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError
from rapport.core.money import parse_amount
from rapport.projects.models import Milestone, Project

MAX_DAYS_IMPACT = 365


def text_clean(value: str, *, field: str, limit: int, message: str) -> str:
    """``value`` stripped; refused (naming ``field``) when empty or longer than ``limit``."""
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("At most %(limit)s characters.") % {"limit": f"{limit:,}"}, field=field
        )
    return value


def impact_clean(
    project: Project, price_impact: object, days_impact: object, milestone: Milestone | None
) -> tuple[Decimal, int]:
    """(price, working days) of a change as typed: the price in the project's currency, negative
    for less work; the days between 0 and MAX_DAYS_IMPACT, with the milestone whose date moves."""
    price = parse_amount(
        price_impact if price_impact not in (None, "") else "0",
        field="price_impact",
        currency=project.currency,
        allow_negative=True,
    )
    try:
        days = int(str(days_impact if days_impact not in (None, "") else "0").strip())
    except ValueError:
        raise ApplicationError(
            _("Enter a whole number of working days."), field="days_impact"
        ) from None
    if not 0 <= days <= MAX_DAYS_IMPACT:
        raise ApplicationError(
            _("The date impact is between 0 and %(max)s working days.") % {"max": MAX_DAYS_IMPACT},
            field="days_impact",
        )
    if milestone is not None and (
        milestone.project_id != project.pk or milestone.archived_at is not None
    ):
        raise ApplicationError(_("Choose a milestone of this project."), field="milestone")
    if days and milestone is None:
        raise ApplicationError(_("Choose the milestone whose date moves."), field="milestone")
    return price, days
