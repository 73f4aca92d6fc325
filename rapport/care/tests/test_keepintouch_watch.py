"""The win-back watch (P34): a client silent for a year after a delivery gets one draft and
one alert from the tick; anything said or started since moves the watch on; work ends it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from rapport.care.keepintouch.timing import check_in_due_at
from rapport.care.keepintouch.winback import scan_win_back_due
from rapport.care.models import CheckIn
from rapport.care.tests.keepintouch_fixtures import DELIVERED, deliver
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.periodic import JOBS
from rapport.notifications.alerts import alert_action_url, alert_text
from rapport.notifications.models import Alert
from rapport.projects.models import Project
from rapport.projects.services import project_create

# A year after the delivery (Monday 7 December 2026), a Tuesday, 09:00 in Athens.
YEAR_ON = datetime(2027, 12, 7, 7, 0, tzinfo=UTC)


def _watch(acme: Client) -> CheckIn:
    return CheckIn.objects.get(client=acme, kind="win_back", state__in=("scheduled", "ready"))


def test_a_delivery_starts_one_watch_per_client(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    assert scan_win_back_due in JOBS
    deliver(website, alice)
    assert _watch(acme).due_at == YEAR_ON
    other = project_create(client=acme, actor=alice.user, title="Logo", status="active")
    deliver(other, alice, DELIVERED + timedelta(days=30))
    watch = _watch(acme)
    assert watch.due_at == check_in_due_at(alice.workspace, DELIVERED + timedelta(days=30), 12)
    assert watch.project == other


def test_a_year_of_silence_drafts_once_with_one_alert(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    assert scan_win_back_due(YEAR_ON - timedelta(minutes=1)) == 0
    assert scan_win_back_due(YEAR_ON) == 1
    draft = _watch(acme)
    assert (draft.state, draft.contact, draft.language) == ("ready", carol, "el")
    assert "New website" in draft.body
    alert = Alert.objects.get(kind=Alert.Kind.WIN_BACK)
    assert alert.assignee_id == alice.user.pk and alert.data == {
        "client": "Acme Ltd",
        "since": "2026-12-07",
    }
    assert "Acme Ltd" in alert_text(alert)
    assert alert_action_url(alert) == f"/care/keep-in-touch/{draft.pk}/"
    assert scan_win_back_due(YEAR_ON + timedelta(days=1)) == 0
    assert Alert.objects.filter(kind=Alert.Kind.WIN_BACK).count() == 1


def test_a_word_from_the_client_moves_the_watch_on(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    wrote = DELIVERED + timedelta(days=60)
    with time_machine.travel(wrote, tick=False):
        request_receive(client=acme, contact=carol, source="phone", subject="Hi", body="x")
    assert scan_win_back_due(YEAR_ON) == 1
    watch = _watch(acme)
    assert watch.state == "scheduled"
    assert watch.due_at == check_in_due_at(alice.workspace, wrote, 12)
    assert not Alert.objects.filter(kind=Alert.Kind.WIN_BACK).exists()


def test_work_under_way_ends_the_watch(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    with time_machine.travel(DELIVERED + timedelta(days=10), tick=False):
        project_create(client=acme, actor=alice.user, title="Shop", status="active")
    assert scan_win_back_due(YEAR_ON) == 1
    assert not CheckIn.objects.filter(kind="win_back").exclude(state="cancelled").exists()
    assert not Alert.objects.filter(kind=Alert.Kind.WIN_BACK).exists()
