"""Scanners of the ledger, run by the tick. Each reads only the rows that became due (an
indexed query on open commitments by due time) and writes with keys that make a second run
change nothing."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from rapport.commitments.cadence import update_commitments_roll_on
from rapport.commitments.forecast import forecast_milestone
from rapport.commitments.models import Commitment
from rapport.core.models import TimelineEvent
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise

BATCH = 1000
CHUNK = 200
UPDATE_REMINDER_AHEAD = timedelta(hours=24)
RISK_SCAN_EVERY_SECONDS = 3600
RISK_HORIZON = timedelta(days=90)
DEFAULT_CAPACITY = 30  # hours a week, for a milestone without an owner


@register_job
def scan_broken_commitments(now: datetime) -> int:
    """Open commitments past their due time become broken, and the provider is told.

    A chunk at a time, in one transaction each: one UPDATE, the timeline events and the
    alerts in bulk (the alerts' unique keys make a repeat insert nothing).
    """
    total = 0
    for _round in range(BATCH // CHUNK):
        broken = _break_chunk(now)
        total += broken
        if broken < CHUNK:
            break
    return total


def _break_chunk(now: datetime) -> int:
    with transaction.atomic():
        # A quote's validity ends by expiring with the price held (kept), not by breaking:
        # rapport.agreements.quotes.scanners closes those rows.
        rows = Commitment.objects.filter(state=Commitment.State.OPEN, due_at__lt=now).exclude(
            kind=Commitment.Kind.QUOTE
        )
        if connection.features.has_select_for_update_skip_locked:
            # Another tick running at the same moment takes other rows, not these.
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        due = list(
            rows.select_related("project__client__workspace").order_by("due_at", "id")[:CHUNK]
        )
        if not due:
            return 0
        Commitment.objects.filter(pk__in=[c.pk for c in due], state=Commitment.State.OPEN).update(
            state=Commitment.State.BROKEN, resolved_at=now, updated_at=now
        )
        TimelineEvent.objects.bulk_create(
            TimelineEvent(
                workspace_id=c.workspace_id,
                client_id=c.client_id,
                verb="commitment.broken",
                subject_type="commitment",
                subject_id=c.pk,
                data={"wording": c.wording},
                created_at=now,
            )
            for c in due
        )
        Alert.objects.bulk_create(
            [
                Alert(
                    workspace_id=c.workspace_id,
                    kind=Alert.Kind.UPDATE_MISSED
                    if c.kind == Commitment.Kind.UPDATE
                    else Alert.Kind.COMMITMENT_BROKEN,
                    dedupe_key=f"broken:{c.pk}",
                    client_id=c.client_id,
                    assignee_id=c.owner_id,
                    subject_type="commitment",
                    subject_id=c.pk,
                    data={"wording": c.wording, "kind": c.kind, "project_id": c.project_id},
                    severity=Alert.Severity.URGENT,
                    due_at=c.due_at,
                )
                for c in due
            ],
            ignore_conflicts=True,
        )
        update_commitments_roll_on(
            [c.project for c in due if c.kind == Commitment.Kind.UPDATE and c.project is not None],
            now=now,
        )
    return len(due)


@register_job
def scan_updates_due(now: datetime) -> int:
    """An update due within a day: remind the provider once (P12)."""
    due = list(
        Commitment.objects.filter(
            state=Commitment.State.OPEN,
            kind=Commitment.Kind.UPDATE,
            reminded_at__isnull=True,
            due_at__gte=now,
            due_at__lte=now + UPDATE_REMINDER_AHEAD,
        )
        .select_related("client", "project")
        .order_by("due_at", "id")[:BATCH]
    )
    for commitment in due:
        with transaction.atomic():
            claimed = Commitment.objects.filter(pk=commitment.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            alert_raise(
                workspace=commitment.workspace_id,
                kind=Alert.Kind.UPDATE_DUE,
                dedupe_key=f"update_due:{commitment.pk}",
                client=commitment.client,
                assignee=commitment.owner_id,
                subject=commitment,
                data={"wording": commitment.wording, "project_id": commitment.project_id},
                due_at=commitment.due_at,
            )
    return len(due)


@register_job
def scan_delay_risks(now: datetime) -> int:
    """Forecast open milestone deadlines; warn early while there is time to act (P16).

    Progress changes slowly, so this runs once an hour (the shared cache key keeps several
    ticks from repeating it), over milestones due within 90 days.
    """
    if not cache.add("scan_delay_risks", 1, timeout=RISK_SCAN_EVERY_SECONDS):
        return 0
    return delay_risks_scan(now)


def delay_risks_scan(now: datetime) -> int:
    raised = 0
    capacities: dict[int, dict[int, int]] = {}
    commitments = (
        Commitment.objects.filter(
            state=Commitment.State.OPEN,
            kind=Commitment.Kind.MILESTONE,
            due_at__gt=now,
            due_at__lte=now + RISK_HORIZON,
        )
        .select_related("milestone__project__client__workspace", "milestone__owner", "client")
        .order_by("due_at", "id")
    )
    for commitment in commitments.iterator(chunk_size=500):
        milestone = commitment.milestone
        if milestone is None:
            continue
        project = milestone.project
        workspace = project.client.workspace
        today = timezone.localtime(now, timezone=_zone(workspace.timezone)).date()
        start = project.start_date or timezone.localtime(milestone.created_at).date()
        owner_id = milestone.owner_id or commitment.owner_id
        if workspace.pk not in capacities:  # one query per workspace, not per milestone
            capacities[workspace.pk] = dict(
                workspace.memberships.values_list("user_id", "weekly_capacity_hours")
            )
        capacity = capacities[workspace.pk].get(owner_id or 0, DEFAULT_CAPACITY)
        forecast = forecast_milestone(
            progress=milestone.progress,
            start=min(start, milestone.due_date),
            due=milestone.due_date,
            today=today,
            estimate_hours=milestone.estimate_hours,
            weekly_capacity_hours=capacity,
            weekdays=workspace.business_weekdays,
        )
        if not forecast.at_risk or forecast.working_days_left <= workspace.delay_warning_days:
            continue
        _alert, created = alert_raise(
            workspace=workspace,
            kind=Alert.Kind.DEADLINE_AT_RISK,
            dedupe_key=f"risk:{milestone.pk}:{milestone.due_date.isoformat()}",
            client=project.client,
            assignee=owner_id,
            subject=milestone,
            data={
                "title": milestone.title,
                "project": project.title,
                "progress": milestone.progress,
                "expected": forecast.expected_progress,
                "reasons": list(forecast.reasons),
                "proposed_due_date": forecast.proposed_due_date.isoformat()
                if forecast.proposed_due_date
                else "",
                "remaining_hours": str(forecast.remaining_hours or ""),
                "capacity_hours": str(forecast.capacity_hours or ""),
            },
            due_at=commitment.due_at,
        )
        raised += created
    return raised


def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)
