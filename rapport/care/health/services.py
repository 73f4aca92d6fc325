"""Writes of relationship health (P37, P34; ADR 0038).

- ``health_mark_due`` says that a client's score must be computed again now: the tick calls
  it for the clients of new timeline events (``care.health.scanner``).
- ``health_recompute`` computes a batch of clients: the figures in a fixed number of queries,
  the pure rules, then one upsert of the current rows, one of the day's history points, and
  the at-risk alert on entry into the band (resolved on leaving it). Each row's next moment
  is when time alone would change the score, so the tick reads only the due ones.
- ``workspace_health_recompute`` computes every client of a workspace, a batch at a time (the
  first run, or after the weights changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rapport.care.health import score as rules
from rapport.care.health.selectors import health_figures, week_ago_scores
from rapport.care.models import ClientHealth, HealthPoint
from rapport.clients.models import Client
from rapport.core.texts import text_ref
from rapport.notifications.models import Alert
from rapport.notifications.services import NewAlert, alerts_raise_many

BATCH = 200


def health_mark_due(
    *, clients: Iterable[tuple[int | None, int | None]], now: datetime | None = None
) -> None:
    """Mark the ``(workspace_id, client_id)`` pairs due for a computation at ``now``.

    Three queries whatever their number: which of them have a row, the missing rows inserted,
    and the moment set on the rows not due yet. A row already due keeps its earlier moment
    (and its place in the queue), so a client whose timeline keeps moving is not pushed back
    and a busy tick rewrites only the rows that change.
    """
    now = now or timezone.now()
    pairs = {
        client_id: workspace_id for workspace_id, client_id in clients if client_id and workspace_id
    }
    if not pairs:
        return
    ids = list(pairs)
    stored = set(ClientHealth.objects.filter(client_id__in=ids).values_list("client_id", flat=True))
    missing = [
        ClientHealth(workspace_id=pairs[client_id], client_id=client_id, health_due_at=now)
        for client_id in ids
        if client_id not in stored
    ]
    if missing:
        # Another tick may insert the same client meanwhile; its row is as good as ours.
        ClientHealth.objects.bulk_create(missing, ignore_conflicts=True)
    ClientHealth.objects.filter(client_id__in=ids).filter(
        Q(health_due_at__isnull=True) | Q(health_due_at__gt=now)
    ).update(health_due_at=now)


def alert_reason(health: rules.Health) -> dict[str, object]:
    """The alert's reason: the worst signal's short name, written out for each reader."""
    worst = health.worst
    return text_ref(f"health.{worst.key if worst else 'silence'}")


@transaction.atomic
def health_recompute(*, client_ids: Sequence[int], now: datetime | None = None) -> int:
    """Compute the health of ``client_ids`` at ``now`` and store it; returns how many were
    scored.

    A client that is not active (a lead, a past client, archived) keeps no score: its row is
    cleared and no moment is set. A client entering the at-risk band raises
    ``health_at_risk`` for its account owner once (the key names the entry), and leaving
    the band resolves it. The day's history point is written (or overwritten), so the trend
    keeps one point a day whatever the number of computations.
    """
    now = now or timezone.now()
    facts = health_figures(client_ids=client_ids, now=now)
    if not facts:
        return 0
    today = now.astimezone(UTC).date()
    before = week_ago_scores(client_ids=list(facts), day=today)
    current = {
        row.client_id: row
        for row in ClientHealth.objects.select_for_update().filter(client_id__in=list(facts))
    }
    rows: list[ClientHealth] = []
    points: list[HealthPoint] = []
    alerts: list[NewAlert] = []
    left: list[int] = []
    scored = 0
    for pk, fact in facts.items():
        previous = current.get(pk)
        if not fact.scored:
            rows.append(
                ClientHealth(
                    workspace_id=fact.workspace_id,
                    client_id=pk,
                    score=None,
                    band="",
                    parts=[],
                    drop=0,
                    stake=0,
                    step={},
                    computed_at=now,
                    at_risk_since=None,
                    health_due_at=None,
                )
            )
            if previous is not None and previous.at_risk_since is not None:
                left.append(pk)
            continue
        scored += 1
        health = rules.health_score(fact.figures, now)
        worst = health.worst
        at_risk = health.band == rules.AT_RISK
        since = previous.at_risk_since if previous is not None else None
        if at_risk and since is None:
            since = now
            alerts.append(
                NewAlert(
                    workspace_id=fact.workspace_id,
                    kind=Alert.Kind.HEALTH_AT_RISK,
                    dedupe_key=f"health_at_risk:{pk}:{now.isoformat()}",
                    client_id=pk,
                    assignee_id=fact.owner_id,
                    data={
                        "client": "",
                        "score": health.score,
                        "reason": alert_reason(health),
                    },
                    due_at=now,
                )
            )
        elif not at_risk and since is not None:
            since = None
            left.append(pk)
        step: dict[str, str | int] = {"key": worst.key if worst else ""}
        target = step_target(worst.key if worst else "", fact.targets)
        if target is not None:
            step["id"] = target
        rows.append(
            ClientHealth(
                workspace_id=fact.workspace_id,
                client_id=pk,
                score=health.score,
                band=health.band,
                parts=[part.stored() for part in health.parts],
                drop=(before[pk] - health.score) if pk in before else 0,
                stake=fact.stake,
                step=step,
                computed_at=now,
                at_risk_since=since,
                health_due_at=rules.next_change(fact.figures, now),
            )
        )
        points.append(
            HealthPoint(workspace_id=fact.workspace_id, client_id=pk, day=today, score=health.score)
        )
    ClientHealth.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["client"],
        update_fields=[
            "score",
            "band",
            "parts",
            "drop",
            "stake",
            "step",
            "computed_at",
            "at_risk_since",
            "health_due_at",
        ],
    )
    if points:
        HealthPoint.objects.bulk_create(
            points, update_conflicts=True, unique_fields=["client", "day"], update_fields=["score"]
        )
    if alerts:
        ids = [a.client_id for a in alerts if a.client_id is not None]
        names = dict(Client.objects.filter(pk__in=ids).values_list("pk", "name"))
        for alert in alerts:
            alert.data["client"] = names.get(alert.client_id or 0, "")
        alerts_raise_many(alerts=alerts)
    if left:
        Alert.objects.filter(
            client_id__in=left, kind=Alert.Kind.HEALTH_AT_RISK, state=Alert.State.OPEN
        ).update(state=Alert.State.DONE, resolved_at=now)
    return scored


# Which target a step's link opens, per signal (the at-risk list's links, views.STEPS).
STEP_TARGETS = {
    "invoices": "invoice",
    "problems": "problem",
    "response": "request",
    "silence": "project",
    "keeping": "project",
    "mood": "project",
    "mood_falling": "project",
}


def step_target(key: str, targets: dict[str, int]) -> int | None:
    name = STEP_TARGETS.get(key)
    return targets.get(name) if name else None


def workspace_health_recompute(*, workspace_id: int, now: datetime | None = None) -> int:
    """Compute every client of the workspace, ``BATCH`` at a time (a transaction each);
    returns how many were scored. For the first run and after the weights changed."""
    now = now or timezone.now()
    ids = list(
        Client.objects.filter(workspace_id=workspace_id).order_by("pk").values_list("pk", flat=True)
    )
    scored = 0
    for start in range(0, len(ids), BATCH):
        scored += health_recompute(client_ids=ids[start : start + BATCH], now=now)
    return scored
