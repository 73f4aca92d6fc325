"""The date of supply, or the service period, of an invoice (EU VAT Directive, art. 226(7)).

An EU invoice states the date the work was supplied when it differs from the issue date; for
work over a period (hours of a month), the period. Empty means "supplied on the issue date",
and the PDF then prints nothing more.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max, Min
from django.utils.translation import gettext as _

from rapport.billing.models import Invoice, TimeEntry
from rapport.core.errors import ApplicationError

# A supply more than a year from the issue date is a typo, not an invoice.
MAX_DISTANCE = timedelta(days=366)


def supply_default(invoice: Invoice) -> tuple[date | None, date | None]:
    """What the issue form proposes: for an invoice of hours, the first and last day worked
    (one day: that day); otherwise nothing (supplied on the issue date)."""
    span = TimeEntry.objects.filter(invoice_line__invoice=invoice).aggregate(
        first=Min("worked_on"), last=Max("worked_on")
    )
    first, last = span["first"], span["last"]
    if first is None:
        return None, None
    return first, (last if last != first else None)


def supply_clean(
    *, issue_date: date, supplied_on: date | None, supplied_until: date | None
) -> tuple[date | None, date | None]:
    """The supply date and period end to store, or an ``ApplicationError`` naming the field.

    Refused: an end without a start, an end before the start, a date more than a year from
    the issue date, a period longer than a year. A single date equal to the issue date is
    stored as empty (nothing to print).
    """
    if supplied_until is not None and supplied_on is None:
        raise ApplicationError(
            _("Give the first day of the service period too."), field="supplied_on"
        )
    for value, name in ((supplied_on, "supplied_on"), (supplied_until, "supplied_until")):
        if value is not None and abs(value - issue_date) > MAX_DISTANCE:
            raise ApplicationError(
                _("A date of supply more than a year from the issue date is not right."),
                field=name,
            )
    if supplied_on is not None and supplied_until is not None:
        if supplied_until < supplied_on:
            raise ApplicationError(
                _("The service period ends before it starts."), field="supplied_until"
            )
        if supplied_until == supplied_on:
            supplied_until = None
    if supplied_until is None and supplied_on == issue_date:
        supplied_on = None
    return supplied_on, supplied_until
