"""The commitment ledger and its scanners, moved through time with time-machine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.commitments.selectors import client_commitments, keeping_rates
from rapport.commitments.services import (
    commitment_renegotiate,
    promise_confirm,
    promise_create,
    promise_request_confirmation,
)
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.periodic import tick_run
from rapport.notifications.models import Alert, Notification
from rapport.projects.cadence import next_update_date
from rapport.projects.delays import delay_notice_send
from rapport.projects.models import Project
from rapport.projects.scanners import delay_risks_scan
from rapport.projects.services import (
    milestone_create,
    milestone_update,
    project_create,
    project_update,
)
from rapport.projects.updates import update_facts, update_send

# A Monday at 10:00 in Athens.
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def project(clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact) -> Project:
    return project_create(
        client=acme,
        actor=alice.user,
        title="Shop",
        start_date=dt.date(2026, 11, 16),
        due_date=dt.date(2027, 2, 26),
        status=Project.Status.ACTIVE,
        update_cadence=Project.Cadence.WEEKLY,
        update_weekday=Project.Weekday.FRIDAY,
    )


def test_milestone_creates_and_keeps_its_commitment(project: Project, alice: Persona) -> None:
    milestone = milestone_create(
        project=project, actor=alice.user, title="Designs", due_date=dt.date(2026, 12, 4)
    )
    commitment = Commitment.objects.get(milestone=milestone)
    assert commitment.state == Commitment.State.OPEN
    assert commitment.kind == Commitment.Kind.MILESTONE
    milestone_update(milestone=milestone, actor=alice.user, progress=100)
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.KEPT


def test_missed_deadline_is_broken_by_the_tick_and_alerts_once(
    project: Project, alice: Persona, clock: time_machine.Traveller
) -> None:
    milestone = milestone_create(
        project=project, actor=alice.user, title="Designs", due_date=dt.date(2026, 11, 25)
    )
    clock.move_to(dt.datetime(2026, 11, 25, 21, 59, tzinfo=dt.UTC))  # 23:59 Athens: still on time
    tick_run()
    assert Commitment.objects.get(milestone=milestone).state == Commitment.State.OPEN
    clock.move_to(dt.datetime(2026, 11, 25, 22, 1, tzinfo=dt.UTC))
    tick_run()
    tick_run()
    assert Commitment.objects.get(milestone=milestone).state == Commitment.State.BROKEN
    assert Alert.objects.filter(kind=Alert.Kind.COMMITMENT_BROKEN).count() == 1


def test_update_cadence_reminds_then_misses_then_rolls_on(
    project: Project, alice: Persona, clock: time_machine.Traveller
) -> None:
    due = Commitment.objects.get(project=project, kind=Commitment.Kind.UPDATE, state="open")
    assert timezone.localtime(
        due.due_at, timezone=dt.timezone(dt.timedelta(hours=2))
    ).date() == dt.date(2026, 11, 27)
    clock.move_to(dt.datetime(2026, 11, 26, 23, 0, tzinfo=dt.UTC))  # Friday 01:00 Athens
    tick_run()
    assert Alert.objects.filter(kind=Alert.Kind.UPDATE_DUE).count() == 1
    clock.move_to(dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.UTC))  # Saturday
    tick_run()
    assert Alert.objects.filter(kind=Alert.Kind.UPDATE_MISSED).count() == 1
    following = Commitment.objects.get(project=project, kind=Commitment.Kind.UPDATE, state="open")
    assert (following.dedupe_key or "").endswith("2026-12-04")


def test_sending_an_update_keeps_the_commitment_and_notifies_in_greek(
    project: Project, alice: Persona, carol: Contact, clock: time_machine.Traveller
) -> None:
    milestone_create(
        project=project,
        actor=alice.user,
        title="Designs",
        due_date=dt.date(2026, 12, 4),
        progress=30,
    )
    update = update_send(project=project, actor=alice.user, contacts=[carol], no_big_news=True)
    kept = Commitment.objects.get(
        project=project, kind=Commitment.Kind.UPDATE, state=Commitment.State.KEPT
    )
    assert kept.resolved_at is not None
    notification = Notification.objects.get(subject_id=update.pk, subject_type="projectupdate")
    assert notification.language == "el"
    assert "Carol Georgiou" in notification.body
    nxt = Commitment.objects.get(
        project=project, kind=Commitment.Kind.UPDATE, state=Commitment.State.OPEN
    )
    assert (nxt.dedupe_key or "").endswith("2026-12-04")


def test_update_needs_text_or_no_big_news(project: Project, alice: Persona, carol: Contact) -> None:
    with pytest.raises(ApplicationError) as exc:
        update_send(project=project, actor=alice.user, contacts=[carol], body="  ")
    assert exc.value.field == "body"


def test_update_draft_lists_progress_and_next(
    project: Project, alice: Persona, clock: time_machine.Traveller
) -> None:
    milestone = milestone_create(
        project=project, actor=alice.user, title="Designs", due_date=dt.date(2026, 12, 4)
    )
    milestone_update(milestone=milestone, actor=alice.user, progress=50)
    facts = update_facts(project=project)
    assert milestone in facts.progressed
    assert [m.progress for m in facts.open] == [50]


def test_no_cadence_no_update_commitment(project: Project, alice: Persona) -> None:
    project_update(project=project, actor=alice.user, update_cadence=Project.Cadence.NONE)
    assert not Commitment.objects.filter(
        project=project, kind=Commitment.Kind.UPDATE, state="open"
    ).exists()


@pytest.mark.parametrize(
    ("cadence", "last", "expected"),
    [
        (Project.Cadence.WEEKLY, None, dt.date(2026, 11, 27)),
        (Project.Cadence.WEEKLY, dt.date(2026, 11, 27), dt.date(2026, 12, 4)),
        (Project.Cadence.BIWEEKLY, dt.date(2026, 11, 27), dt.date(2026, 12, 11)),
        (Project.Cadence.MONTHLY, dt.date(2026, 11, 27), dt.date(2026, 12, 25)),
    ],
)
def test_next_update_date(cadence: str, last: dt.date, expected: dt.date) -> None:
    project = Project(update_cadence=cadence, update_weekday=4)
    assert next_update_date(project, today=dt.date(2026, 11, 23), last_sent=last) == expected


def test_promise_confirmation_round_trip(
    acme: Client, alice: Persona, carol: Contact, clock: time_machine.Traveller
) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Two logo drafts",
        due_at=START + dt.timedelta(days=4),
    )
    promise_request_confirmation(commitment=promise, contact=carol, actor=alice.user)
    notification = Notification.objects.get(kind="promise_confirm")
    assert "Two logo drafts" in notification.body
    promise_confirm(commitment=promise, contact=carol)
    promise.refresh_from_db()
    assert promise.confirmed_by == carol
    assert Alert.objects.filter(kind=Alert.Kind.PROMISE_CONFIRMED).count() == 1


def test_promise_validation(acme: Client, alice: Persona, clock: time_machine.Traveller) -> None:
    with pytest.raises(ApplicationError) as exc:
        promise_create(
            client=acme, actor=alice.user, wording="x", due_at=START - dt.timedelta(hours=1)
        )
    assert exc.value.field == "due_at"
    with pytest.raises(ApplicationError) as exc:
        promise_create(
            client=acme, actor=alice.user, wording=" ", due_at=START + dt.timedelta(hours=1)
        )
    assert exc.value.field == "wording"


def test_renegotiation_keeps_history_and_rates_ignore_it(
    acme: Client, alice: Persona, clock: time_machine.Traveller
) -> None:
    promise = promise_create(
        client=acme, actor=alice.user, wording="Copy", due_at=START + dt.timedelta(days=1)
    )
    renewed = commitment_renegotiate(
        commitment=promise,
        actor=alice.user,
        new_due_at=START + dt.timedelta(days=3),
        reason="Waiting for the client's texts",
        told_via=Commitment.ToldVia.PHONE,
    )
    promise.refresh_from_db()
    assert promise.state == Commitment.State.RENEGOTIATED
    assert promise.replaced_by == renewed
    assert promise.told_at is not None
    rates = keeping_rates(workspace=acme.workspace, now=timezone.now())
    assert rates[0].renegotiated == 1
    assert rates[0].rate is None


def test_keeping_rate(acme: Client, alice: Persona, clock: time_machine.Traveller) -> None:
    from rapport.commitments.services import commitment_keep

    kept = promise_create(
        client=acme, actor=alice.user, wording="A", due_at=START + dt.timedelta(hours=5)
    )
    promise_create(client=acme, actor=alice.user, wording="B", due_at=START + dt.timedelta(hours=5))
    commitment_keep(commitment=kept, actor=alice.user)
    clock.move_to(START + dt.timedelta(hours=6))
    tick_run()
    rates = client_commitments(client=acme, now=timezone.now()).rates
    assert (rates[0].kept, rates[0].broken, rates[0].rate) == (1, 1, 0.5)


def test_delay_warning_early_and_notice_renegotiates(
    project: Project, alice: Persona, carol: Contact, clock: time_machine.Traveller
) -> None:
    milestone = milestone_create(
        project=project,
        actor=alice.user,
        title="Build",
        due_date=dt.date(2026, 12, 18),
        progress=10,
        estimate_hours=Decimal("200"),
        owner=alice.user,
    )
    assert delay_risks_scan(timezone.now()) == 1
    assert delay_risks_scan(timezone.now()) == 0  # the same warning is not raised twice
    alert = Alert.objects.get(kind=Alert.Kind.DEADLINE_AT_RISK)
    assert "capacity" in alert.data["reasons"]
    delay_notice_send(
        milestone=milestone,
        actor=alice.user,
        new_due_date=dt.date(2027, 1, 29),
        reason="The catalogue doubled in size",
        plan="A second developer joins next week",
        contacts=[carol],
    )
    old = Commitment.objects.get(milestone=milestone, state=Commitment.State.RENEGOTIATED)
    assert old.told_via == Commitment.ToldVia.NOTIFICATION
    assert Commitment.objects.get(milestone=milestone, state="open").due_at > old.due_at
    assert Notification.objects.get(kind="delay_notice").language == "el"
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE


def test_a_risk_found_late_warns_at_once_as_urgent(
    project: Project, alice: Persona, clock: time_machine.Traveller
) -> None:
    milestone_create(
        project=project,
        actor=alice.user,
        title="Tiny",
        due_date=dt.date(2026, 11, 25),
        progress=0,
        estimate_hours=Decimal("100"),
    )
    assert delay_risks_scan(timezone.now()) == 1  # P16: never skipped for being late
    alert = Alert.objects.get(kind=Alert.Kind.DEADLINE_AT_RISK)
    assert alert.severity == Alert.Severity.URGENT


def test_on_track_milestone_raises_nothing(
    project: Project, alice: Persona, clock: time_machine.Traveller
) -> None:
    milestone_create(
        project=project,
        actor=alice.user,
        title="Fine",
        due_date=dt.date(2027, 1, 15),
        progress=40,
        estimate_hours=Decimal("20"),
    )
    assert delay_risks_scan(timezone.now()) == 0
