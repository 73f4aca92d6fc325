"""Early delay warnings (P16), run by the tick: open milestone deadlines are forecast and the
provider is warned while there is time to act. The alert's key names the milestone and its
date, so a second run raises nothing new."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from rapport.commitments.models import Commitment
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise
from rapport.projects.forecast import forecast_milestone

RISK_SCAN_EVERY_SECONDS = 3600
RISK_HORIZON = timedelta(days=90)
DEFAULT_CAPACITY = 30  # hours a week, for a milestone without an owner


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
    """Forecast each open milestone deadline due within ``RISK_HORIZON`` and raise a
    "deadline at risk" alert for those off course with more than the workspace's warning days
    left. Returns how many alerts were raised (an alert already raised is not counted)."""
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
