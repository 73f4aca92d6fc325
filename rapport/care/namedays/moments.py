"""When each important date is greeted: the next morning of it in the contact's time zone (P31).

Every ``ImportantDate`` keeps ``next_at``, the UTC moment of 08:00 on the date's next day in
the contact's own time zone (a contact in Asia/Jakarta is greeted on their calendar day, not
the provider's). The daily scan reads only the rows whose moment has come (ADR 0036), so the
moments are rewritten whenever what they hang on changes: the contact's name (their name
day), language (which calendar), time zone, or dates (``important_dates_refresh``, run in the
same transaction by the receiver of ``clients.signals.contact_dates_changed``).

A date's day in a year: the stored day and month; 29 February in a year without one is kept
on 28 February; a calendar name day is the feast's day in that year (Easter moves some).
A birthday or anniversary with a known year is not greeted in that year or before it.
"""

from __future__ import annotations

import calendar as gregorian
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from rapport.care.namedays.calendar import feast_day, feast_for
from rapport.clients.models import Contact, ImportantDate
from rapport.core.clock import zone_or_utc

# The hour of the contact's morning when the draft greeting is ready for the provider.
MORNING = time(8, 0)
# Years looked ahead for the next day of a date (a 29 February needs no more: it falls back).
LOOKAHEAD = 3


def occurrence(item: ImportantDate, year: int) -> date | None:
    """The day ``item`` falls on in ``year``, or None (not in that year)."""
    if item.source == ImportantDate.Source.CALENDAR:
        return feast_day(item.feast, year)
    if item.year is not None and year <= item.year:
        return None
    day = item.day
    if item.month == 2 and day == 29 and not gregorian.isleap(year):
        day = 28
    try:
        return date(year, item.month, day)
    except ValueError:
        return None


def next_day(item: ImportantDate, on_or_after: date) -> date | None:
    """The first day of ``item`` on or after ``on_or_after``."""
    for year in range(on_or_after.year, on_or_after.year + LOOKAHEAD):
        day = occurrence(item, year)
        if day is not None and day >= on_or_after:
            return day
    return None


def morning(day: date, zone: ZoneInfo) -> datetime:
    """08:00 of ``day`` in ``zone``, in UTC."""
    return datetime.combine(day, MORNING, tzinfo=zone).astimezone(UTC)


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def _is_greeted(contact: Contact) -> bool:
    return contact.archived_at is None and contact.client.archived_at is None


def _calendar_row(contact: Contact, rows: list[ImportantDate]) -> ImportantDate | None:
    """The contact's calendar name day as it should be (unsaved when new), or None: only for
    a contact whose language has a calendar and whose first name is in it, and only when the
    provider has not entered the contact's own name day (that wins)."""
    if any(r.kind == ImportantDate.Kind.NAME_DAY and r.source != "calendar" for r in rows):
        return None
    feast = feast_for(contact.name, contact.effective_language)
    if feast is None:
        return None
    found = next((r for r in rows if r.source == ImportantDate.Source.CALENDAR), None)
    row = found or ImportantDate(
        workspace_id=contact.workspace_id,
        contact=contact,
        kind=ImportantDate.Kind.NAME_DAY,
        source=ImportantDate.Source.CALENDAR,
    )
    row.feast = feast.key
    return row


@transaction.atomic
def important_dates_refresh(*, contacts: list[Contact], now: datetime | None = None) -> None:
    """Rewrite the calendar name day and the next moment of every date of ``contacts``.

    Contract: afterwards each contact whose language has a calendar that knows their first
    name, and who has no name day of their own, has exactly one calendar name-day row (its
    day and month those of the coming feast); nobody else has one. Every date of an active
    contact of an active client has ``next_at`` set to the morning of its next day (today's
    when the day is today, so a date entered at noon is still greeted); the dates of an
    archived contact or client have none. A fixed number of queries for any number of
    contacts: one read, at most one insert, one update and one delete.
    """
    if not contacts:
        return
    now = now or timezone.now()
    by_contact: dict[int, list[ImportantDate]] = defaultdict(list)
    for row in ImportantDate.objects.filter(contact__in=[c.pk for c in contacts]).order_by("pk"):
        by_contact[row.contact_id].append(row)
    new: list[ImportantDate] = []
    changed: list[ImportantDate] = []
    stale: list[int] = []
    for contact in contacts:
        rows = by_contact[contact.pk]
        wanted = _calendar_row(contact, rows)
        stale += [
            r.pk
            for r in rows
            if r.source == ImportantDate.Source.CALENDAR and (wanted is None or r is not wanted)
        ]
        kept = [r for r in rows if r.source != ImportantDate.Source.CALENDAR]
        if wanted is not None:
            kept.append(wanted)
        zone = zone_or_utc(contact.effective_timezone)
        today = local_today(now, zone)
        for row in kept:
            day = next_day(row, today) if _is_greeted(contact) else None
            row.next_at = morning(day, zone) if day is not None else None
            if row.source == ImportantDate.Source.CALENDAR:
                shown = day or next_day(row, today)
                if shown is not None:
                    row.month, row.day = shown.month, shown.day
            (changed if row.pk else new).append(row)
    if stale:
        ImportantDate.objects.filter(pk__in=stale).delete()
    if new:
        ImportantDate.objects.bulk_create(new)
    if changed:
        ImportantDate.objects.bulk_update(changed, ["next_at", "month", "day", "feast"])


def advance(item: ImportantDate, zone: ZoneInfo, greeted: date) -> None:
    """Move ``item``'s moment to its day after ``greeted`` (the next year's, recomputed for a
    feast that Easter moves); a calendar row shows that day."""
    day = next_day(item, greeted + timedelta(days=1))
    item.next_at = morning(day, zone) if day is not None else None
    if day is not None and item.source == ImportantDate.Source.CALENDAR:
        item.month, item.day = day.month, day.day
