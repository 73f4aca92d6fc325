"""The survey due a few days after delivery (P34), sent by the periodic tick.

``Survey.send_at`` holds the moment; the partial index ``survey_send_due`` holds only the
surveys still waiting, so the scan reads the due rows and nothing else. Sending clears the
moment in the same transaction, and each message is keyed by survey and contact, so a survey
goes out once even if two ticks overlap.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.care.model_surveys import Survey
from rapport.care.surveys.services import survey_deliver
from rapport.core.locking import skip_locked
from rapport.core.periodic import register_job

BATCH = 200


@register_job
def scan_due_surveys(now: datetime) -> int:
    """Send the surveys whose moment has come; returns how many were sent.

    The due rows are read through the partial index, locked (skipping rows another tick
    holds), in batches of ``BATCH``; each is sent to its client's active contacts (one message
    each, in their language, through their channel, inside their hours: the outbox's work).
    """
    with transaction.atomic():
        rows = Survey.objects.filter(send_at__isnull=False, send_at__lte=now)
        rows = skip_locked(rows)
        due = list(
            rows.select_related("project__client__workspace").order_by("send_at", "id")[:BATCH]
        )
        for survey in due:
            survey_deliver(survey, now)
    return len(due)
