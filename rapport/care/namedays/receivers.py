"""The calendar name day and the greeting moments follow the contact (P31, ADR 0036).

Connected in ``CareConfig.ready`` to ``clients.signals.contact_dates_changed``: clients sits
below care and only announces the change; the rewrite runs in the sender's transaction.
"""

from __future__ import annotations

from typing import Any

from rapport.care.namedays.moments import important_dates_refresh
from rapport.clients.models import Contact


def contact_dates_follow(sender: Any, *, contacts: list[Contact], **kwargs: Any) -> None:
    important_dates_refresh(contacts=contacts)
