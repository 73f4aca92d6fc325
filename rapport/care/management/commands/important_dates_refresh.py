"""Write the calendar name days and the greeting moments of every contact (P31, ADR 0036).

Run once after upgrading to the release that greets important dates (the dates stored before
it have no moment yet, so the morning scan would not see them), and after a change of the
name-day calendars in ``rapport/care/namedays/data/`` (the contacts' rows follow a calendar
only when the contact is next edited). Safe to run again: it rewrites the same rows.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rapport.care.namedays.moments import important_dates_refresh
from rapport.clients.models import Contact

CHUNK = 1_000


class Command(BaseCommand):
    help = "Write every contact's calendar name day and the next moment of each of their dates."

    def handle(self, *args: Any, **options: Any) -> None:
        last, total = 0, 0
        while True:
            contacts = list(
                Contact.objects.filter(pk__gt=last).select_related("client").order_by("pk")[:CHUNK]
            )
            if not contacts:
                break
            important_dates_refresh(contacts=contacts)
            last, total = contacts[-1].pk, total + len(contacts)
        self.stdout.write(f"{total} contacts refreshed.")
