"""When a check-in is due (P30): some months after a delivery, on a working morning where the
provider works."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _

from rapport.accounts.models import Workspace
from rapport.core.clock import add_working_days, workspace_hours, zone_or_utc
from rapport.core.errors import ApplicationError

# The intervals a workspace may set: at least one month, at most five years.
MAX_MONTHS = 60
MAX_INTERVALS = 6
# A past client silent this long gets a win-back draft and an alert, once (P34).
WIN_BACK_AFTER_MONTHS = 12


def months_parse(text: str, *, field: str = "check_in_months") -> list[int]:
    """``"3, 6, 12"`` as ``[3, 6, 12]`` (sorted, each once); empty text means no check-ins.

    Refuses, naming ``field``, anything but whole months from 1 to ``MAX_MONTHS``.
    """
    values: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_MONTHS:
            raise ApplicationError(
                _("Write whole months from 1 to %(max)s, separated by commas, e.g. 3, 6, 12.")
                % {"max": MAX_MONTHS},
                field=field,
            )
        values.add(int(part))
    if len(values) > MAX_INTERVALS:
        raise ApplicationError(
            _("At most %(n)s check-ins after a delivery.") % {"n": MAX_INTERVALS}, field=field
        )
    return sorted(values)


def workspace_months(workspace: Workspace) -> list[int]:
    """The workspace's intervals; a value stored before the rules changed counts as none."""
    try:
        return months_parse(workspace.check_in_months)
    except ApplicationError:
        return []


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_in_due_at(workspace: Workspace, delivered_at: datetime, months: int) -> datetime:
    """The moment a check-in ``months`` after ``delivered_at`` is drafted: that day where the
    provider works, or the next working day, at the start of their business hours."""
    zone = zone_or_utc(workspace.timezone)
    day = add_months(delivered_at.astimezone(zone).date(), months)
    hours = workspace_hours(workspace, day)
    if not hours.is_working_day(day):
        day = add_working_days(day, 1, hours)
    return datetime.combine(day, workspace.business_hours_start, tzinfo=zone).astimezone(UTC)
