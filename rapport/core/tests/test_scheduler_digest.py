"""The scheduler enqueues one tick a minute; providers get one digest a morning."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from pytest_django import DjangoCaptureOnCommitCallbacks

from rapport.clients.models import Client
from rapport.conftest import Persona
from rapport.core.periodic import tick_run
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, DigestSent
from rapport.notifications.services import alert_raise

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_scheduler_enqueues_one_tick_per_minute(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, 5, tzinfo=dt.UTC), tick=False):
        call_command("scheduler", "--once")
        call_command("scheduler", "--once")  # a second scheduler in the same minute
    out = capsys.readouterr().out
    assert out.count("tick enqueued") == 1


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE_TASKS)
def test_daily_digest_once_at_eight_local(
    alice: Persona, acme: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.UPDATE_DUE,
        dedupe_key="x",
        client=acme,
        data={"wording": "Progress update on Shop"},
    )
    # alice is in Europe/Athens: 05:30 UTC is 07:30 there, 06:10 UTC is 08:10.
    morning = dt.datetime(2026, 11, 23, 5, 30, tzinfo=dt.UTC)
    with (
        time_machine.travel(morning, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tick_run()
    assert mail.outbox == []
    eight = dt.datetime(2026, 11, 23, 6, 10, tzinfo=dt.UTC)
    with (
        time_machine.travel(eight, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tick_run()
        tick_run()
        # The digest is an outbox row: the deliverer sends it.
        deliver_due(worker="test")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["alice@example.com"]
    assert "Progress update on Shop" in digest.body
    assert re.search(r"/alerts/", str(digest.body))
    assert DigestSent.objects.filter(user=alice.user, day=dt.date(2026, 11, 23)).count() == 1


@pytest.mark.django_db
def test_no_digest_without_alerts(alice: Persona) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 6, 10, tzinfo=dt.UTC), tick=False):
        tick_run()
    assert not DigestSent.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE_TASKS)
def test_the_digest_puts_a_waiting_client_above_a_forecast(
    alice: Persona, acme: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The digest reads in the alert centre's order (P14, P16): a forecast raised later and
    with a higher severity still comes after a client who is waiting."""
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.REQUEST_RECEIVED,
        dedupe_key="request",
        client=acme,
        data={"name": "Carol", "subject": "Where is the logo?"},
        severity=Alert.Severity.INFO,
    )
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.DEADLINE_AT_RISK,
        dedupe_key="risk",
        client=acme,
        data={"title": "Launch", "project": "Shop", "progress": 0, "expected": 30},
        severity=Alert.Severity.WARNING,
    )
    with time_machine.travel(dt.datetime(2026, 11, 23, 5, 30, tzinfo=dt.UTC), tick=False):
        tick_run()  # schedules the first digest
    with (
        time_machine.travel(dt.datetime(2026, 11, 23, 6, 10, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tick_run()
        deliver_due(worker="test")
    body = str(mail.outbox[0].body)
    assert body.index("Where is the logo?") < body.index("Launch")
