"""Unanswered problem reports (P20): one reminder to the client, one alert to the provider.

A report still waiting for the client's choice (state ``sent``) three working days after it
went out gets one reminder, to the contacts it went to, in their language through their
channel (the outbox keeps their contact hours), and the provider an alert. ``remind_at`` holds
the moment; the partial index ``problem_remind_due`` holds only the reports still waiting with
a moment set, so the tick's scan reads the due rows and nothing else. Sending clears the moment
in the same transaction, and the client's answer clears it too: a report is reminded once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Prefetch

from rapport.care.models import Problem, ProblemAlternative
from rapport.care.problems.services import problem_portal_url_for
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_links_create_many
from rapport.core.locking import skip_locked
from rapport.core.periodic import register_job
from rapport.core.timeline import NewEvent, timeline_record_many
from rapport.notifications.models import Alert
from rapport.notifications.services import (
    NewAlert,
    NewMessage,
    alerts_raise_many,
    notifications_queue_many,
)

BATCH = 200


@register_job
def scan_unanswered_problems(now: datetime) -> int:
    """Remind the reports whose moment has come; returns how many were reminded.

    One transaction for a batch, as the ledger's scanner does: the due rows read through the
    partial index (locked, skipping rows another tick holds), their alternatives and
    recipients in one query each, one UPDATE that clears their moment, the messages (each
    composed in its reader's language; their portal links, outbox rows and timeline events in
    one insert each), and the reports' timeline events and alerts in bulk. The keys of the
    messages and the alerts make a repeat write nothing.
    """
    with transaction.atomic():
        rows = Problem.objects.filter(
            state=Problem.State.SENT, remind_at__isnull=False, remind_at__lte=now
        )
        rows = skip_locked(rows)
        due = list(
            rows.select_related("project", "client__workspace")
            .prefetch_related(
                Prefetch("alternatives", queryset=ProblemAlternative.objects.order_by("position")),
                Prefetch(
                    "recipients",
                    queryset=Contact.objects.filter(archived_at__isnull=True)
                    .select_related("client__workspace")
                    .order_by("pk"),
                ),
            )
            .order_by("remind_at", "id")[:BATCH]
        )
        if not due:
            return 0
        Problem.objects.filter(pk__in=[p.pk for p in due], state=Problem.State.SENT).update(
            remind_at=None, reminded_at=now
        )
        _remind(due, now)
        timeline_record_many(
            verb="problem.reminded",
            events=[
                NewEvent(
                    workspace_id=p.workspace_id,
                    client_id=p.client_id,
                    subject=p,
                    data={"title": p.title},
                )
                for p in due
            ],
            at=now,
        )
        alerts_raise_many(
            alerts=[
                NewAlert(
                    workspace_id=p.workspace_id,
                    kind=Alert.Kind.PROBLEM_UNANSWERED,
                    dedupe_key=f"problem_unanswered:{p.pk}",
                    client_id=p.client_id,
                    assignee_id=p.reported_by_id or p.client.account_owner_id,
                    subject=p,
                    data={"title": p.title, "count": len(p.recipients.all())},
                    due_at=now,
                )
                for p in due
            ]
        )
    return len(due)


def _remind(problems: list[Problem], now: datetime) -> None:
    """The reminder to each contact each report went to, in their language: their portal
    links in one insert, then the messages through the outbox's bulk form. A contact of a
    client archived since the report is left out: no link is made for an archived client."""
    pairs = [
        (problem, contact)
        for problem in problems
        for contact in problem.recipients.all()
        if contact.client.archived_at is None
    ]
    tokens = portal_links_create_many(contacts=[contact for _p, contact in pairs], actor=None)
    notifications_queue_many(
        messages=[
            NewMessage(
                contact=contact,
                template="problem_reminder",
                context={
                    "problem": problem,
                    "project": problem.project,
                    "alternatives": list(problem.alternatives.all()),
                    "portal_url": problem_portal_url_for(problem, token),
                },
                subject=problem,
                dedupe_key=f"problem_reminder:{problem.pk}:{contact.pk}",
            )
            for (problem, contact), token in zip(pairs, tokens, strict=True)
        ],
        now=now,
    )
