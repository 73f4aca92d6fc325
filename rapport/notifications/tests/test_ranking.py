"""The alert centre and "To do today" put what needs the provider now above forecasts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.conftest import Persona
from rapport.dashboard.selectors import alerts_open
from rapport.notifications.models import Alert
from rapport.notifications.ranking import (
    CLIENT_WAITING,
    FORECAST,
    PROMISE_AT_STAKE,
    REST,
    group_of,
)
from rapport.notifications.selectors import alert_list
from rapport.notifications.services import alert_raise

pytestmark = pytest.mark.django_db
K, S = Alert.Kind, Alert.Severity
SOON = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 9, 9, tzinfo=dt.UTC)

# Raised in this order (so newest last); expected rank in the comment.
RAISED: list[tuple[str, str, int, dt.datetime | None]] = [
    ("risk-early", K.DEADLINE_AT_RISK, S.WARNING, SOON),  # 7: a forecast, last
    ("quote-expiring", K.QUOTE_EXPIRING, S.WARNING, None),  # 8: a forecast, older
    ("brief", K.BRIEF_SUBMITTED, S.INFO, None),  # 6: the rest
    ("broken", K.COMMITMENT_BROKEN, S.WARNING, None),  # 5: promise, no due time
    ("risk-late", K.DEADLINE_AT_RISK, S.URGENT, LATER),  # 3: found late, urgent
    ("delivery", K.DELIVERY_FAILED, S.WARNING, SOON),  # 4: promise at stake
    ("request-later", K.REQUEST_RECEIVED, S.WARNING, LATER),  # 1: client waiting
    ("request-soon", K.REQUEST_NEAR_TARGET, S.WARNING, SOON),  # 0: soonest due
    ("reply", K.REPLY_RECEIVED, S.INFO, None),  # 2: client waiting, lower severity
]
EXPECTED = [
    "request-soon",
    "request-later",
    "reply",
    "risk-late",
    "delivery",
    "broken",
    "brief",
    "risk-early",
    "quote-expiring",
]


@pytest.fixture
def raised(alice: Persona) -> None:
    for key, kind, severity, due_at in RAISED:
        alert_raise(
            workspace=alice.workspace, kind=kind, dedupe_key=key, severity=severity, due_at=due_at
        )


@pytest.mark.usefixtures("raised")
def test_alert_centre_ranks_what_needs_the_provider_now_first(alice: Persona) -> None:
    with CaptureQueriesContext(connection) as ctx:
        keys = [a.dedupe_key for a in alert_list(workspace=alice.workspace)]
    assert keys == EXPECTED
    assert len(ctx.captured_queries) == 1


@pytest.mark.usefixtures("raised")
def test_to_do_today_has_the_same_order(alice: Persona) -> None:
    keys = [a.dedupe_key for a in alerts_open(workspace=alice.workspace)]
    assert keys == EXPECTED[:8]  # the dashboard shows the first eight


def test_groups_in_memory_match_the_query() -> None:
    assert group_of(K.REPLY_RECEIVED, S.INFO) == CLIENT_WAITING
    assert group_of(K.DEADLINE_AT_RISK, S.URGENT) == PROMISE_AT_STAKE
    assert group_of(K.DEADLINE_AT_RISK, S.WARNING) == FORECAST
    assert group_of(K.QUOTE_ACCEPTED, S.INFO) == REST
