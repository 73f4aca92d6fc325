"""When a member's daily digest is due: 08:00 in their own time zone."""

from __future__ import annotations

import datetime as dt

from rapport.core.clock import zone_or_utc

DIGEST_HOUR = dt.time(8)


def digest_due_after(now: dt.datetime, tz: str) -> dt.datetime:
    """The first 08:00 in ``tz`` after ``now`` (aware, in UTC). On a day when the clocks skip
    08:00 the digest comes at what the zone makes of it: still once that day."""
    zone = zone_or_utc(tz)
    local = now.astimezone(zone)
    due = dt.datetime.combine(local.date(), DIGEST_HOUR, tzinfo=zone)
    if due <= local:
        due = dt.datetime.combine(local.date() + dt.timedelta(days=1), DIGEST_HOUR, tzinfo=zone)
    return due.astimezone(dt.UTC)
