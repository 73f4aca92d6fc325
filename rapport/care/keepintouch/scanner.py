"""The tick's check-in scan (P30): draft the check-ins whose moment has come.

``due_at`` holds the moment and the partial index ``checkin_due`` holds only the check-ins
still scheduled, so the scan reads the due rows and nothing else, in batches. Each due row
becomes a draft in its contact's language with a ``check_in_due`` alert for the account
owner, or is skipped (recorded, no alert) when the client wrote to us (a request, by any
channel) in the last ``IN_TOUCH_DAYS`` days: we are in touch, and a check-in would ask what
was just said (docs/keeping-in-touch.md). Our own messages do not count: an invoice reminder
is not a conversation. Drafting clears the moment in the same transaction, and the
alerts' keys make a repeat write nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from rapport.agreements.models import Quote
from rapport.care.keepintouch.drafts import check_in_words
from rapport.care.model_keepintouch import CheckIn
from rapport.clients.models import Contact
from rapport.conversations.models import Request
from rapport.core.locking import skip_locked
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import NewAlert, alerts_raise_many

BATCH = 200
# A request from the client within this many days means we are in touch: no check-in.
IN_TOUCH_DAYS = 30


@register_job
def scan_check_ins_due(now: datetime) -> int:
    """Draft (or skip) the check-ins whose moment has come; returns how many were handled.

    One transaction a batch: the due rows through the partial index (locked, skipping rows
    another tick holds) with their client, project and workspace; one query each for the
    contacts to write to and the clients in touch lately (their requests), then the rows
    written back and the alerts in bulk. Its cost follows what is due.
    """
    with transaction.atomic():
        rows = CheckIn.objects.filter(
            state=CheckIn.State.SCHEDULED, kind=CheckIn.Kind.CHECK_IN, due_at__lte=now
        )
        rows = skip_locked(rows)
        due = list(
            rows.select_related("client__workspace", "project").order_by("due_at", "id")[:BATCH]
        )
        if not due:
            return 0
        client_ids = {row.client_id for row in due}
        contacts = _contacts_to_write(client_ids, {row.project_id for row in due})
        since = now - timedelta(days=IN_TOUCH_DAYS)
        in_touch = set(
            Request.objects.filter(client_id__in=client_ids, received_at__gte=since)
            .values_list("client_id", flat=True)
            .distinct()
        )
        drafted: list[CheckIn] = []
        for row in due:
            row.due_at = None
            row.drafted_at = now
            row.contact = contacts.get((row.client_id, row.project_id)) or contacts.get(
                (row.client_id, None)
            )
            if row.client_id in in_touch:
                row.state = CheckIn.State.SKIPPED
                row.skipped_at, row.skip_reason = now, CheckIn.SkipReason.IN_TOUCH
                continue
            row.state = CheckIn.State.READY
            row.language, row.subject, row.body = check_in_words(row, row.client.workspace.name)
            drafted.append(row)
        CheckIn.objects.bulk_update(
            due,
            [
                "state",
                "due_at",
                "drafted_at",
                "contact",
                "language",
                "subject",
                "body",
                "skipped_at",
                "skip_reason",
            ],
        )
        alerts_raise_many(
            alerts=[
                NewAlert(
                    workspace_id=row.workspace_id,
                    kind=Alert.Kind.CHECK_IN_DUE,
                    dedupe_key=f"check_in_due:{row.pk}",
                    client_id=row.client_id,
                    assignee_id=row.client.account_owner_id,
                    subject=row,
                    data={
                        "name": row.contact.name if row.contact else row.client.name,
                        "months": row.months,
                        "project": row.project.title if row.project else "",
                        "check_in_id": row.pk,
                    },
                    due_at=now,
                )
                for row in drafted
            ]
        )
    return len(due)


def _contacts_to_write(
    client_ids: set[int], project_ids: set[int | None]
) -> dict[tuple[int, int | None], Contact]:
    """Whom each check-in goes to: the contact of the project's latest quote when it still
    works with us, else the client's first active contact. Keys: (client, project) for the
    former, (client, None) for the latter; two queries whatever the batch."""
    found: dict[tuple[int, int | None], Contact] = {}
    for contact in (
        Contact.objects.filter(client_id__in=client_ids, archived_at__isnull=True)
        .select_related("client__workspace")
        .order_by("-pk")
    ):
        found[(contact.client_id, None)] = contact  # the lowest id is written last
    quoted = (
        Quote.objects.filter(
            project_id__in=[p for p in project_ids if p is not None],
            contact__isnull=False,
            contact__archived_at__isnull=True,
        )
        .select_related("contact__client__workspace")
        .order_by("project_id", "series", "version")
    )
    for quote in quoted:
        if quote.contact is not None:
            found[(quote.client_id, quote.project_id)] = quote.contact  # the latest wins
    return found
