"""Promise-keeping rates over 30, 90 and 365 days, per client and per member (P17)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.commitments.models import Commitment
from rapport.commitments.selectors import (
    client_commitments,
    keeping_rates,
    member_keeping_rates,
)
from rapport.commitments.services import promise_create
from rapport.conftest import Persona


def test_client_rates_count_each_window(
    acme: Client, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    now = timezone.now()
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    # (state, days ago resolved): inside 30, 90 and 365 days, on a window's edge, and outside.
    resolved = [
        ("kept", 1), ("kept", 29), ("broken", 30), ("broken", 31), ("renegotiated", 60),
        ("kept", 89), ("broken", 200), ("kept", 364), ("kept", 366), ("broken", 400),
        ("open", 5),
    ]  # fmt: skip
    for client in (acme, other):
        for n, (state, days) in enumerate(resolved):
            promise = promise_create(
                client=client, actor=alice.user, wording=f"P{n}", due_at=now + dt.timedelta(1)
            )
            Commitment.objects.filter(pk=promise.pk).update(
                state=state, resolved_at=now - dt.timedelta(days=days)
            )
    promise_create(client=acme, actor=alice.user, wording="open", due_at=now + dt.timedelta(1))

    with django_assert_num_queries(1):  # the client page's list and rates, read together
        page = client_commitments(client=acme, now=now)
    assert [(r.days, r.kept, r.broken, r.renegotiated) for r in page.rates] == [
        (30, 2, 1, 0),
        (90, 3, 2, 1),
        (365, 4, 3, 1),
    ]
    # Listed: the open ones first, then the resolved ones; the renegotiated one only counted.
    states = [c.state for c in page.commitments]
    assert states[:2] == ["open", "open"]
    assert "renegotiated" not in states
    assert len(states) == len(resolved)  # one more open promise, one renegotiated left out
    assert {c.client_id for c in page.commitments} == {acme.pk}


def test_client_without_commitments_has_no_rate(acme: Client) -> None:
    page = client_commitments(client=acme, now=timezone.now())
    assert page.commitments == []
    assert [(r.kept, r.broken, r.renegotiated, r.rate) for r in page.rates] == [(0, 0, 0, None)] * 3


def test_member_rates_are_each_members_own(
    acme: Client, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    now = timezone.now()
    for n, (state, days) in enumerate([("kept", 2), ("broken", 40), ("kept", 100)]):
        promise = promise_create(
            client=acme, actor=alice.user, wording=f"M{n}", due_at=now + dt.timedelta(1)
        )
        Commitment.objects.filter(pk=promise.pk).update(
            state=state, resolved_at=now - dt.timedelta(days=days), owner=alice.user
        )
    with django_assert_num_queries(2):  # the members, and one grouped count
        (row,) = member_keeping_rates(workspace=alice.workspace, now=now)
    user, rates = row
    assert user == alice.user
    assert rates == keeping_rates(workspace=alice.workspace, now=now, owner=alice.user)
    assert [(r.days, r.kept, r.broken) for r in rates] == [(30, 1, 0), (90, 1, 1), (365, 2, 1)]
