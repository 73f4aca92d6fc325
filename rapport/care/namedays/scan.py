"""The morning of an important day (P31): a draft greeting waits in the alert centre.

Registered with the periodic tick. Each run reads only the dates whose moment (``next_at``,
08:00 on the day in the contact's time zone) has come, through the partial index
``important_date_next``, in batches; raises one ``important_date`` alert per date and year
for the client's account owner (the key ``important_date:<date>:<year>`` makes a repeat
write nothing), and moves each moment to the date's next day (a feast tied to Easter is
recomputed for that year). What it costs grows with what is due, not with what is stored
(``bench/tick_dates.py``, ADR 0036).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction

from rapport.care.namedays.moments import advance
from rapport.clients.models import ImportantDate
from rapport.core.clock import zone_or_utc
from rapport.core.locking import skip_locked
from rapport.core.periodic import register_job
from rapport.core.texts import TextRef, text_ref
from rapport.notifications.models import Alert
from rapport.notifications.services import NewAlert, alerts_raise_many

BATCH = 500
# Batches a run takes at most; what is left waits a minute for the next tick.
MAX_BATCHES = 20
# What the scan reads of each due date, its contact and their client (and nothing more: a
# batch builds three objects a row).
READ = (
    *("id", "workspace_id", "contact_id", "kind", "month", "day", "year", "label"),
    *("source", "feast", "next_at"),
    *("contact__name", "contact__language", "contact__timezone", "contact__archived_at"),
    *("contact__client_id", "contact__client__language", "contact__client__timezone"),
    *("contact__client__archived_at", "contact__client__account_owner_id"),
)


def occasion(item: ImportantDate, year: int) -> TextRef | str:
    """What the day is, as the alert names it in its reader's language."""
    if item.kind == ImportantDate.Kind.BIRTHDAY:
        return text_ref("occasion.birthday")
    if item.kind == ImportantDate.Kind.NAME_DAY:
        return text_ref("occasion.name_day")
    if item.kind == ImportantDate.Kind.ANNIVERSARY:
        if item.year:
            return text_ref("occasion.company_anniversary_years", years=year - item.year)
        return text_ref("occasion.company_anniversary")
    # A label the provider typed is shown as typed.
    return item.label or text_ref("occasion.other")


def alert_data(item: ImportantDate, year: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": item.contact.name,
        "occasion": occasion(item, year),
        "contact_id": item.contact_id,
        "date_id": item.pk,
        "date_kind": item.kind,
        "year": year,
    }
    if item.kind == ImportantDate.Kind.ANNIVERSARY and item.year:
        data["years"] = year - item.year
    return data


def _moments_save(items: list[ImportantDate]) -> None:
    """Write the advanced moments, one UPDATE per distinct (moment, month, day).

    Dates due together are mostly the same day in the same zone, so they move to the same
    next moment: a few statements per batch. ``bulk_update``'s one statement of CASE clauses
    spent over a second of Python building it for 500 rows (``bench/tick_dates.py``).
    """
    groups: dict[tuple[datetime | None, int, int], list[int]] = defaultdict(list)
    for item in items:
        groups[(item.next_at, item.month, item.day)].append(item.pk)
    for (next_at, month, day), pks in groups.items():
        ImportantDate.objects.filter(pk__in=pks).update(next_at=next_at, month=month, day=day)


def _batch(now: datetime) -> int:
    with transaction.atomic():
        rows = ImportantDate.objects.filter(next_at__isnull=False, next_at__lte=now)
        rows = skip_locked(rows)
        due = list(
            rows.select_related("contact__client").only(*READ).order_by("next_at", "id")[:BATCH]
        )
        if not due:
            return 0
        alerts = []
        for item in due:
            contact = item.contact
            zone = zone_or_utc(contact.effective_timezone)
            assert item.next_at is not None  # the query asked for it
            day = item.next_at.astimezone(zone).date()
            if contact.archived_at is None and contact.client.archived_at is None:
                alerts.append(
                    NewAlert(
                        workspace_id=item.workspace_id,
                        kind=Alert.Kind.IMPORTANT_DATE,
                        dedupe_key=f"important_date:{item.pk}:{day.year}",
                        client_id=contact.client_id,
                        assignee_id=contact.client.account_owner_id,
                        subject=item,
                        data=alert_data(item, day.year),
                        severity=Alert.Severity.INFO,
                        due_at=item.next_at,
                    )
                )
            advance(item, zone, day)
        _moments_save(due)
        alerts_raise_many(alerts=alerts)
    return len(due)


@register_job
def scan_important_dates(now: datetime) -> int:
    """Greet the dates whose morning has come; returns how many dates were read."""
    total = 0
    for _ in range(MAX_BATCHES):
        done = _batch(now)
        total += done
        if done < BATCH:
            break
    return total
