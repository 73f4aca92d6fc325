"""When a client's own causes make a pattern (P25), and raising its one alert.

The events are the problems reported with the cause "on the client's side" (ADR 0031): a late
input, a late approval, missing content, each told to the client in writing with its impact.
The check runs at the event, inside ``problem_report``'s transaction, so the tick pays nothing
for it: one indexed count of that client's recent client-caused problems, and at most one
alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from rapport.care.models import Problem
from rapport.clients.models import Client
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise

# Three client-caused problems within 90 days make a pattern: one is bad luck, two can be a
# coincidence, three is how the client works (the source text's "recurring situation").
PATTERN_EVENTS = 3
PATTERN_DAYS = 90


def pattern_reached(
    event_times: Iterable[datetime],
    *,
    now: datetime,
    events: int = PATTERN_EVENTS,
    days: int = PATTERN_DAYS,
) -> bool:
    """Whether at least ``events`` of ``event_times`` fall in the ``days`` up to ``now``
    (after ``now - days``, not after ``now``). Events outside the window do not count; more
    events inside it never turn a reached pattern back."""
    since = now - timedelta(days=days)
    return sum(1 for t in event_times if since < t <= now) >= events


def pattern_window_problems(*, client_id: int, now: datetime) -> list[Problem]:
    """The client-caused problems of the window ending ``now``, oldest first (the events a
    pattern's page lists)."""
    since = now - timedelta(days=PATTERN_DAYS)
    return list(
        Problem.objects.filter(
            client_id=client_id,
            cause=Problem.Cause.CLIENT,
            created_at__gt=since,
            created_at__lte=now,
        )
        .select_related("project")
        .order_by("created_at", "id")
    )


def pattern_check(*, client: Client, problem: Problem, now: datetime) -> Alert | None:
    """Raise the client-pattern alert if ``problem`` (client-caused, just written) makes
    ``PATTERN_EVENTS`` in ``PATTERN_DAYS``. One alert per pattern: while an alert of this
    client raised within the window exists (open, done or dismissed), a further event adds
    to that pattern rather than raising another; the caller holds the client's row locked,
    so two reports at once cannot both raise."""
    since = now - timedelta(days=PATTERN_DAYS)
    times = list(
        Problem.objects.filter(
            client_id=client.pk, cause=Problem.Cause.CLIENT, created_at__gt=since
        )
        .order_by()  # no sort: only the times are counted
        .values_list("created_at", flat=True)
    )
    if not pattern_reached(times, now=now):
        return None
    if Alert.objects.filter(
        client_id=client.pk, kind=Alert.Kind.CLIENT_PATTERN, created_at__gt=since
    ).exists():
        return None
    alert, _created = alert_raise(
        workspace=client.workspace_id,
        kind=Alert.Kind.CLIENT_PATTERN,
        dedupe_key=f"client_pattern:{client.pk}:{problem.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=client,
        data={
            "name": client.name,
            "count": len(times),
            "days": PATTERN_DAYS,
            "client_id": client.pk,
        },
    )
    return alert
