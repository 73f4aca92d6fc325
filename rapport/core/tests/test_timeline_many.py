"""timeline_record_many: many events of one verb in one insert, with who, what and when."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from rapport.clients.models import Client
from rapport.commitments.services import promise_create
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.core.timeline import NewEvent, timeline_record_many

WHEN = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def test_one_event_per_entry_in_one_query(
    acme: Client, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Send the logo files",
        due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    before = TimelineEvent.objects.count()
    entries = [
        NewEvent(
            workspace_id=acme.workspace_id,
            client_id=acme.pk,
            subject=promise,
            data={"wording": "Send the logo files"},
        ),
        NewEvent(workspace_id=acme.workspace_id, client_id=acme.pk, data={"wording": "Call"}),
    ]
    with django_assert_num_queries(1):
        written = timeline_record_many(
            verb="commitment.broken", events=entries, actor=alice.user, at=WHEN
        )
    assert len(written) == 2
    assert TimelineEvent.objects.count() == before + 2
    first, second = TimelineEvent.objects.filter(verb="commitment.broken").order_by("id")
    assert (first.client_id, first.workspace_id) == (acme.pk, acme.workspace_id)
    assert (first.actor_id, first.created_at) == (alice.user.pk, WHEN)
    assert (first.subject_type, first.subject_id) == ("commitment", promise.pk)
    assert first.describe() == "Commitment broken: Send the logo files"
    assert (second.subject_type, second.subject_id, second.data) == ("", None, {"wording": "Call"})


def test_without_actor_or_time_the_engine_writes_now(acme: Client) -> None:
    written = timeline_record_many(
        verb="commitment.broken",
        events=[NewEvent(workspace_id=acme.workspace_id, client_id=acme.pk)],
    )
    event = TimelineEvent.objects.get(pk=written[0].pk)
    assert event.actor_id is None
    assert abs(event.created_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_nothing_to_record_costs_no_query(
    db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        assert timeline_record_many(verb="commitment.broken", events=[]) == []


def test_an_unknown_verb_writes_nothing(acme: Client) -> None:
    before = TimelineEvent.objects.count()
    with pytest.raises(ValueError, match="unknown timeline verb"):
        timeline_record_many(
            verb="commitment.exploded",
            events=[NewEvent(workspace_id=acme.workspace_id, client_id=acme.pk)],
        )
    assert TimelineEvent.objects.count() == before
