"""The tick's win-back scan (P34): a past client silent for a year gets a draft and an alert,
once.

Each delivery keeps one watch per client: a ``scheduled`` win-back row whose ``due_at`` is
the moment the client will have been silent ``WIN_BACK_AFTER_MONTHS`` (the partial index
``checkin_due`` holds it with the check-ins to come). When the moment comes the scan reads
what happened since, for the due clients only: a request from them, a message from us, or a
project started or delivered moves the watch on to a year after the latest of them; a
project at work, or a win-back draft already waiting, ends it; otherwise the row becomes the
draft, in the contact's language, and the account owner gets the ``win_back`` alert. Its cost
follows what is due, not the number of clients.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce

from rapport.care.keepintouch.drafts import draft_words
from rapport.care.keepintouch.selectors import AT_WORK
from rapport.care.keepintouch.timing import WIN_BACK_AFTER_MONTHS, add_months, check_in_due_at
from rapport.care.model_keepintouch import CheckIn
from rapport.clients.models import Contact
from rapport.conversations.models import Request
from rapport.core.locking import skip_locked
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert, Notification
from rapport.notifications.services import NewAlert, alerts_raise_many
from rapport.projects.models import Project

BATCH = 200


def _latest(pairs: list[tuple[int, datetime | None]], into: dict[int, datetime]) -> None:
    for client_id, moment in pairs:
        if moment is not None and (client_id not in into or into[client_id] < moment):
            into[client_id] = moment


def _day(moment: datetime | None) -> str:
    """The alert's "quiet since": an ISO date, written out in the reader's format."""
    return moment.astimezone(UTC).date().isoformat() if moment is not None else ""


@register_job
def scan_win_back_due(now: datetime) -> int:
    """Look again at the clients whose silence watch is due; returns how many rows it read.

    One transaction a batch: the due watches (locked, skipping rows another tick holds) with
    their client, workspace and project; then one query each for the clients' latest request,
    latest message, latest project, projects at work, drafts waiting and contacts.
    """
    with transaction.atomic():
        rows = CheckIn.objects.filter(
            state=CheckIn.State.SCHEDULED, kind=CheckIn.Kind.WIN_BACK, due_at__lte=now
        )
        rows = skip_locked(rows)
        due = list(
            rows.select_related("client__workspace", "project").order_by("due_at", "id")[:BATCH]
        )
        if not due:
            return 0
        ids = {row.client_id for row in due}
        latest: dict[int, datetime] = {}
        _latest(
            list(
                Request.objects.filter(client_id__in=ids)
                .values("client_id")
                .annotate(m=Max("received_at"))
                .values_list("client_id", "m")
            ),
            latest,
        )
        _latest(
            list(
                Notification.objects.filter(client_id__in=ids)
                .values("client_id")
                .annotate(m=Max("created_at"))
                .values_list("client_id", "m")
            ),
            latest,
        )
        _latest(
            list(
                Project.objects.filter(client_id__in=ids)
                .values("client_id")
                .annotate(m=Max(Coalesce("delivered_at", "created_at")))
                .values_list("client_id", "m")
            ),
            latest,
        )
        at_work = set(
            Project.objects.filter(
                client_id__in=ids, status__in=AT_WORK, archived_at__isnull=True
            ).values_list("client_id", flat=True)
        )
        waiting = set(
            CheckIn.objects.filter(
                client_id__in=ids, kind=CheckIn.Kind.WIN_BACK, state=CheckIn.State.READY
            ).values_list("client_id", flat=True)
        )
        contacts: dict[int, Contact] = {}
        for contact in (
            Contact.objects.filter(client_id__in=ids, archived_at__isnull=True)
            .select_related("client__workspace")
            .order_by("-pk")
        ):
            contacts[contact.client_id] = contact  # the first contact is written last
        drafted: list[CheckIn] = []
        for row in due:
            workspace = row.client.workspace
            since = latest.get(row.client_id)
            if row.client_id in at_work or row.client_id in waiting:
                row.state, row.due_at = CheckIn.State.CANCELLED, None
            elif (
                since is not None
                and add_months(since.astimezone(UTC).date(), WIN_BACK_AFTER_MONTHS)
                > now.astimezone(UTC).date()
            ):
                row.due_at = check_in_due_at(workspace, since, WIN_BACK_AFTER_MONTHS)
            else:
                row.state, row.due_at, row.drafted_at = CheckIn.State.READY, None, now
                row.contact = contacts.get(row.client_id)
                row.language, row.subject, row.body = draft_words(
                    kind=CheckIn.Kind.WIN_BACK,
                    contact=row.contact,
                    client=row.client,
                    context={"project": row.project, "workspace_name": workspace.name},
                )
                row.months = None
                drafted.append(row)
                waiting.add(row.client_id)
        CheckIn.objects.bulk_update(
            due,
            ["state", "due_at", "drafted_at", "contact", "language", "subject", "body"],
        )
        alerts_raise_many(
            alerts=[
                NewAlert(
                    workspace_id=row.workspace_id,
                    kind=Alert.Kind.WIN_BACK,
                    dedupe_key=f"win_back:{row.pk}",
                    client_id=row.client_id,
                    assignee_id=row.client.account_owner_id,
                    subject=row,
                    data={"client": row.client.name, "since": _day(latest.get(row.client_id))},
                    due_at=now,
                )
                for row in drafted
            ]
        )
    return len(due)
