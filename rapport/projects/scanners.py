"""Early delay warnings (P16), run by the tick.

Each open milestone carries the moment it becomes at risk if nothing changes
(``Milestone.risk_at``, kept by ``projects.risk`` on every write that can change it). The scan
reads only the milestones whose moment has come (one indexed query, a bounded batch), forecasts
each exactly, raises the warning, and moves the moment on: to the day the warning becomes
urgent, to the next day it will be at risk, or to never. Its cost follows what is due, not how
many milestones are stored.
"""

from __future__ import annotations

from datetime import datetime

from rapport.core.clock import end_of_day
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise
from rapport.projects.forecast import Forecast, urgent_day
from rapport.projects.forecast import forecast as forecast_of
from rapport.projects.models import Milestone
from rapport.projects.risk import (
    Calendar,
    calendar_of,
    inputs_of,
    milestones_clear,
    next_risk_at,
    open_milestones,
    warnings_resolve,
)

RISK_BATCH = 200


@register_job
def scan_delay_risks(now: datetime) -> int:
    """Warn about milestones whose forecast moment has come (P16); every tick, since the
    query reads only those."""
    return delay_risks_scan(now)


def delay_risks_scan(now: datetime, *, batch: int = RISK_BATCH) -> int:
    """Forecast the milestones whose ``risk_at`` has come and raise a "deadline at risk" alert
    for each at risk: urgent when no more working days are left than the workspace's warning
    horizon (a risk found late is said at once, never skipped). Returns how many alerts were
    raised or made urgent (a warning already raised is not counted)."""
    due = list(
        Milestone.objects.filter(risk_at__isnull=False, risk_at__lte=now)
        .select_related("project__client__workspace")
        .order_by("risk_at", "id")[:batch]
    )
    if not due:
        return 0
    still_open = {
        m.pk: m
        for m in open_milestones()
        .filter(pk__in=[m.pk for m in due])
        .select_related("project__client__workspace")
    }
    closed = [m for m in due if m.pk not in still_open]
    for workspace_id in {m.workspace_id for m in closed}:
        milestones_clear(
            milestone_ids=[m.pk for m in closed if m.workspace_id == workspace_id],
            workspace_id=workspace_id,
        )
    calendars: dict[int, Calendar] = {}
    raised = 0
    moved: list[Milestone] = []
    for milestone in still_open.values():
        workspace = milestone.project.client.workspace
        if workspace.pk not in calendars:  # one query per workspace, not per milestone
            calendars[workspace.pk] = calendar_of(workspace, now)
        calendar = calendars[workspace.pk]
        # The owner's load before it is kept true by every write (projects.risk).
        inputs = inputs_of(milestone, calendar, milestone.earlier_hours)
        risk_at, at_risk = next_risk_at(inputs, calendar, now)
        if at_risk:
            forecast = forecast_of(inputs, calendar.today(now))
            raised += _warn(milestone, calendar, forecast)
            # Raised: look again when it turns urgent (to say so), else only after a change.
            day = None if forecast.urgent else urgent_day(inputs, calendar.today(now))
            risk_at = calendar.start_of(day) if day is not None else None
        else:
            warnings_resolve(milestone_ids=[milestone.pk], workspace_id=workspace.pk)
        milestone.risk_at = risk_at
        moved.append(milestone)
    Milestone.objects.bulk_update(moved, ["risk_at"], batch_size=500)
    return raised


def _warn(milestone: Milestone, calendar: Calendar, forecast: Forecast) -> int:
    """Raise the warning once per milestone and date; an open one becomes urgent when the
    horizon is reached. 1 if something was raised or escalated."""
    project = milestone.project
    severity = Alert.Severity.URGENT if forecast.urgent else Alert.Severity.WARNING
    alert, created = alert_raise(
        workspace=calendar.workspace,
        kind=Alert.Kind.DEADLINE_AT_RISK,
        dedupe_key=f"risk:{milestone.pk}:{milestone.due_date.isoformat()}",
        client=project.client,
        assignee=calendar.owner_of(milestone),
        subject=milestone,
        severity=severity,
        data=_data(milestone, forecast),
        due_at=end_of_day(milestone.due_date, calendar.workspace.timezone),
    )
    if created:
        return 1
    if alert.state == Alert.State.OPEN and alert.severity < severity:
        Alert.objects.filter(pk=alert.pk).update(severity=severity, data=_data(milestone, forecast))
        return 1
    return 0


def _data(milestone: Milestone, forecast: Forecast) -> dict[str, object]:
    return {
        "title": milestone.title,
        "project": milestone.project.title,
        "progress": milestone.progress,
        "expected": forecast.expected_progress,
        "reasons": list(forecast.reasons),
        "working_days_left": forecast.working_days_left,
        "proposed_due_date": forecast.proposed_due_date.isoformat()
        if forecast.proposed_due_date
        else "",
        "remaining_hours": str(forecast.remaining_hours or ""),
        "load_hours": str(forecast.load_hours or ""),
        "capacity_hours": str(forecast.capacity_hours or ""),
    }
