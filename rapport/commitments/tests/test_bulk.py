"""The ledger's bulk writes: commitments_open_many, and the broken-commitment scan that writes
its timeline events and alerts through timeline_record_many and alerts_raise_many."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.commitments.scanners import scan_broken_commitments
from rapport.commitments.services import commitments_open_many, promise_create
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Alert

START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _row(client: Client, key: str, wording: str = "Progress update") -> Commitment:
    return Commitment(
        workspace_id=client.workspace_id,
        client=client,
        kind=Commitment.Kind.UPDATE,
        wording=wording,
        due_at=START + dt.timedelta(days=4),
        owner_id=client.account_owner_id,
        dedupe_key=key,
    )


def test_opens_each_new_key_once_with_its_timeline_event(
    acme: Client, clock: time_machine.Traveller
) -> None:
    opened = commitments_open_many(rows=[_row(acme, "a"), _row(acme, "b", "x" * 600)])
    assert sorted(c.dedupe_key or "" for c in opened) == ["a", "b"]
    assert len(Commitment.objects.get(dedupe_key="b").wording) == 500
    events = TimelineEvent.objects.filter(verb="commitment.created", subject_type="commitment")
    assert Counter(events.values_list("subject_id", flat=True)) == Counter(c.pk for c in opened)
    assert events.get(subject_id=opened[0].pk).data["due"] == opened[0].due_at.isoformat()


def test_a_second_call_opens_nothing(acme: Client, clock: time_machine.Traveller) -> None:
    commitments_open_many(rows=[_row(acme, "a")])
    commitments = Commitment.objects.count()
    events = TimelineEvent.objects.count()
    assert commitments_open_many(rows=[_row(acme, "a", "Other words")]) == []
    assert (Commitment.objects.count(), TimelineEvent.objects.count()) == (commitments, events)
    assert Commitment.objects.get(dedupe_key="a").wording == "Progress update"


def test_every_row_needs_a_key(acme: Client) -> None:
    with pytest.raises(ValueError, match="dedupe_key"):
        commitments_open_many(rows=[_row(acme, "")])


def _promises(client: Client, persona: Persona, count: int, *, due: dt.datetime) -> None:
    for number in range(count):
        promise_create(client=client, actor=persona.user, wording=f"Promise {number}", due_at=due)


def _scan(clock: time_machine.Traveller, now: dt.datetime) -> tuple[int, int]:
    """How many commitments the scan broke at ``now``, and in how many queries."""
    clock.move_to(now)
    with CaptureQueriesContext(connection) as ctx:
        broken = scan_broken_commitments(now)
    return broken, len(ctx.captured_queries)


def test_the_scan_costs_the_same_queries_however_many_are_broken(
    acme: Client, alice: Persona, clock: time_machine.Traveller
) -> None:
    _promises(acme, alice, 2, due=START + dt.timedelta(hours=1))
    _promises(acme, alice, 7, due=START + dt.timedelta(hours=3))
    few, few_queries = _scan(clock, START + dt.timedelta(hours=2))
    many, many_queries = _scan(clock, START + dt.timedelta(hours=4))
    assert (few, many) == (2, 7)
    assert few_queries == many_queries
    assert Alert.objects.filter(kind=Alert.Kind.COMMITMENT_BROKEN).count() == 9
    assert TimelineEvent.objects.filter(verb="commitment.broken").count() == 9


def test_a_second_scan_changes_nothing(
    acme: Client, alice: Persona, clock: time_machine.Traveller
) -> None:
    _promises(acme, alice, 3, due=START + dt.timedelta(hours=1))
    assert _scan(clock, START + dt.timedelta(hours=2))[0] == 3
    alerts = list(Alert.objects.order_by("pk").values())
    events = TimelineEvent.objects.count()
    assert scan_broken_commitments(START + dt.timedelta(hours=2)) == 0
    assert list(Alert.objects.order_by("pk").values()) == alerts
    assert TimelineEvent.objects.count() == events
