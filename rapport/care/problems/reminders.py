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

from rapport.care.models import Problem
from rapport.care.problems.services import problem_portal_url
from rapport.core.periodic import register_job
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

BATCH = 200


@register_job
def scan_unanswered_problems(now: datetime) -> int:
    """Remind the reports whose moment has come; returns how many were reminded."""
    due = list(
        Problem.objects.filter(
            state=Problem.State.SENT, remind_at__isnull=False, remind_at__lte=now
        )
        .order_by("remind_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(problem_remind(pk, now) for pk in due)


def problem_remind(pk: int, now: datetime) -> int:
    """Send one report's reminder if it is still due: claimed by a conditional update, so a
    second tick (or two at once) sends nothing more."""
    with transaction.atomic():
        claimed = Problem.objects.filter(
            pk=pk, state=Problem.State.SENT, remind_at__isnull=False, remind_at__lte=now
        ).update(remind_at=None, reminded_at=now)
        if not claimed:
            return 0
        problem = Problem.objects.select_related("project", "client__workspace").get(pk=pk)
        client = problem.client
        alternatives = list(problem.alternatives.all())
        contacts = list(
            problem.recipients.filter(archived_at__isnull=True)
            .select_related("client__workspace")
            .order_by("pk")
        )
        for contact in contacts:
            notification_queue(
                contact=contact,
                template="problem_reminder",
                context={
                    "problem": problem,
                    "project": problem.project,
                    "alternatives": alternatives,
                    "portal_url": problem_portal_url(problem, contact, None),
                },
                subject=problem,
                dedupe_key=f"problem_reminder:{problem.pk}:{contact.pk}",
                now=now,
            )
        timeline_record(
            client=client, verb="problem.reminded", subject=problem, data={"title": problem.title}
        )
        alert_raise(
            workspace=problem.workspace_id,
            kind=Alert.Kind.PROBLEM_UNANSWERED,
            dedupe_key=f"problem_unanswered:{problem.pk}",
            client=client,
            assignee=problem.reported_by_id or client.account_owner_id,
            subject=problem,
            data={"title": problem.title, "count": len(contacts)},
            due_at=now,
        )
    return 1
