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

from django.db import transaction

from rapport.core.clock import end_of_day
from rapport.core.periodic import register_job
from rapport.notifications.models import Alert
from rapport.notifications.services import NewAlert, alerts_raise_many
from rapport.projects.forecast import Forecast, urgent_day
from rapport.projects.forecast import forecast as forecast_of
from rapport.projects.models import Milestone
from rapport.projects.risk import (
    Calendar,
    calendar_of,
    inputs_of,
    milestones_clear,
    moments_save,
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


@transaction.atomic
def delay_risks_scan(now: datetime, *, batch: int = RISK_BATCH) -> int:
    """Forecast the milestones whose ``risk_at`` has come and raise a "deadline at risk" alert
    for each at risk: urgent when no more working days are left than the workspace's warning
    horizon (a risk found late is said at once, never skipped). Returns how many alerts were
    raised or made urgent (a warning already raised is not counted).

    A fixed number of queries per batch (plus one per workspace for its members), one
    transaction: the due milestones, those still open, the warnings already raised, one insert
    of the new ones, one update each for the escalated and the resolved, the new moments.
    """
    due = list(
        Milestone.objects.filter(risk_at__isnull=False, risk_at__lte=now)
        .order_by("risk_at", "id")
        .values_list("pk", "workspace_id")[:batch]
    )
    if not due:
        return 0
    still_open = list(
        open_milestones()
        .filter(pk__in=[pk for pk, _ws in due])
        .select_related("project__client__workspace")
    )
    open_ids = {m.pk for m in still_open}
    for workspace_id in {ws for _pk, ws in due}:
        milestones_clear(
            milestone_ids=[pk for pk, ws in due if ws == workspace_id and pk not in open_ids],
            workspace_id=workspace_id,
        )
    calendars: dict[int, Calendar] = {}
    warnings: list[tuple[Milestone, Calendar, Forecast]] = []
    resolved: dict[int, list[int]] = {}
    for milestone in still_open:
        workspace = milestone.project.client.workspace
        if workspace.pk not in calendars:  # one query per workspace, not per milestone
            calendars[workspace.pk] = calendar_of(workspace, now)
        calendar = calendars[workspace.pk]
        # The owner's load before it is kept true by every write (projects.risk).
        inputs = inputs_of(milestone, calendar, milestone.earlier_hours)
        risk_at, at_risk = next_risk_at(inputs, calendar, now)
        if at_risk:
            forecast = forecast_of(inputs, calendar.today(now))
            warnings.append((milestone, calendar, forecast))
            # Raised: look again when it turns urgent (to say so), else only after a change.
            day = None if forecast.urgent else urgent_day(inputs, calendar.today(now))
            risk_at = calendar.start_of(day) if day is not None else None
        else:
            resolved.setdefault(workspace.pk, []).append(milestone.pk)
        milestone.risk_at = risk_at
    for workspace_id, ids in resolved.items():
        warnings_resolve(milestone_ids=ids, workspace_id=workspace_id)
    moments_save(still_open)
    return _warn(warnings)


def _key(milestone: Milestone) -> str:
    return f"risk:{milestone.pk}:{milestone.due_date.isoformat()}"


def _warn(warnings: list[tuple[Milestone, Calendar, Forecast]]) -> int:
    """Raise each warning once per milestone and date (one insert); an open one becomes
    urgent when the horizon is reached (one update). How many were raised or escalated."""
    if not warnings:
        return 0
    existing = dict(
        Alert.objects.filter(dedupe_key__in=[_key(m) for m, _c, _f in warnings]).values_list(
            "dedupe_key", "pk"
        )
    )
    escalate = (
        Alert.objects.filter(
            pk__in=[existing[_key(m)] for m, _c, f in warnings if f.urgent and _key(m) in existing],
            state=Alert.State.OPEN,
            severity__lt=Alert.Severity.URGENT,
        ).update(severity=Alert.Severity.URGENT)
        if existing
        else 0
    )
    new = [
        NewAlert(
            workspace_id=calendar.workspace.pk,
            kind=Alert.Kind.DEADLINE_AT_RISK,
            dedupe_key=_key(milestone),
            client_id=milestone.project.client_id,
            assignee_id=calendar.owner_of(milestone),
            subject=milestone,
            severity=Alert.Severity.URGENT if forecast.urgent else Alert.Severity.WARNING,
            data=_data(milestone, forecast),
            due_at=end_of_day(milestone.due_date, calendar.workspace.timezone),
        )
        for milestone, calendar, forecast in warnings
        if _key(milestone) not in existing
    ]
    alerts_raise_many(alerts=new)
    return len(new) + escalate


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
