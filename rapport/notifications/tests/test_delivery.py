"""The deliverer: retries with exponential backoff, giving up with an alert, falling back to
email, the sweeper, and claims that never hand one row to two workers."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create, contact_update
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.models import TimelineEvent
from rapport.notifications.delivery import backoff, claim, deliver_due, deliver_one, renew, sweep
from rapport.notifications.models import Alert, DeliveryAttempt, Notification
from rapport.notifications.tests.conftest import HookServer, SmtpServer, free_port, smtp_mailers
from rapport.projects.models import Project
from rapport.projects.services import project_create
from rapport.projects.updates import update_send

# Monday 23 November 2026, 10:00 in Athens: inside the contact hours.
T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(clock: time_machine.Traveller, alice: Persona, acme: Client) -> Project:
    return project_create(
        client=acme,
        actor=alice.user,
        title="New shop",
        start_date=dt.date(2026, 11, 16),
        due_date=dt.date(2027, 2, 26),
        status=Project.Status.ACTIVE,
    )


@pytest.fixture
def nothing_listens(settings: SettingsWrapper) -> int:
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    return port


def queue_update(
    project: Project, alice: Persona, contact: Contact, body: str = "News."
) -> Notification:
    update = update_send(project=project, actor=alice.user, contacts=[contact], body=body)
    return Notification.objects.get(
        subject_type="projectupdate", subject_id=update.pk, contact=contact
    )


def events(notification: Notification, verb: str) -> int:
    return TimelineEvent.objects.filter(
        verb=verb, subject_type="notification", subject_id=notification.pk
    ).count()


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


# --- Retries, then giving up ---------------------------------------------------------------------


def test_unreachable_server_retries_with_backoff_then_fails_once(
    settings: SettingsWrapper,
    nothing_listens: int,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = queue_update(shop, alice, carol)

    assert deliver_due(worker="w1") == 0
    notification.refresh_from_db()
    assert notification.state == Notification.State.QUEUED
    assert notification.attempts == 1
    assert notification.not_before == T0 + 30 * SECOND
    assert notification.claimed_by == ""
    assert "ConnectionRefusedError" in notification.last_error

    # Not before its time: the row is not even claimed.
    clock.move_to(T0 + 29 * SECOND)
    assert deliver_due(worker="w1") == 0
    notification.refresh_from_db()
    assert notification.attempts == 1

    second = T0 + 30 * SECOND
    clock.move_to(second)
    assert deliver_due(worker="w2") == 0
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.QUEUED, 2)
    assert notification.not_before == second + 60 * SECOND

    clock.move_to(second + 59 * SECOND)
    assert deliver_due(worker="w2") == 0
    notification.refresh_from_db()
    assert notification.attempts == 2

    third = second + 60 * SECOND
    clock.move_to(third)
    assert deliver_due(worker="w3") == 0
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    assert notification.attempts == 3

    # Nothing more happens, however long we wait and however often the worker runs.
    for hours in (1, 2, 24):
        clock.move_to(third + dt.timedelta(hours=hours))
        assert deliver_due(worker="w3") == 0
    notification.refresh_from_db()
    assert notification.attempts == 3

    alert = Alert.objects.get(kind=Alert.Kind.DELIVERY_FAILED)
    assert (alert.subject_type, alert.subject_id) == ("notification", notification.pk)
    assert alert.severity == Alert.Severity.URGENT
    assert alert.assignee == alice.user
    assert alert.data["name"] == "Carol Georgiou"
    # An email that fails has no email to fall back to.
    assert not Notification.objects.filter(fallback_of=notification).exists()

    attempts = list(DeliveryAttempt.objects.filter(notification=notification))
    assert [a.worker for a in attempts] == ["w1", "w2", "w3"]
    assert [a.started_at for a in attempts] == [T0, second, third]
    assert not any(a.ok for a in attempts)
    assert all("ConnectionRefusedError" in a.error for a in attempts)
    assert events(notification, "notification.retry") == 2
    assert events(notification, "notification.failed") == 1
    assert events(notification, "notification.sent") == 0


def test_a_retry_that_succeeds(
    settings: SettingsWrapper,
    smtp_server: SmtpServer,
    nothing_listens: int,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    notification = queue_update(shop, alice, carol)
    assert deliver_due(worker="w") == 0
    settings.MAILERS = smtp_mailers(smtp_server.port)  # the server is back
    clock.move_to(T0 + 30 * SECOND)
    assert deliver_due(worker="w") == 1
    assert smtp_server.wait_for(1)
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.attempts == 2
    assert notification.last_error == ""
    assert [a.ok for a in DeliveryAttempt.objects.filter(notification=notification)] == [
        False,
        True,
    ]
    assert events(notification, "notification.retry") == 1
    assert events(notification, "notification.sent") == 1
    assert smtp_server.message_ids() == [f"<{notification.idempotency_key}@localhost>"]
    assert not Alert.objects.filter(kind=Alert.Kind.DELIVERY_FAILED).exists()


# --- Falling back to email ------------------------------------------------------------------------


def test_failed_webhook_falls_back_to_email(
    settings: SettingsWrapper,
    smtp_settings: SmtpServer,
    hook_server: HookServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    hook_server.status = 500
    contact_update(
        contact=carol, actor=alice.user, preferred_channel="webhook", webhook_url=hook_server.url()
    )
    notification = queue_update(shop, alice, carol, "Η αρχική σελίδα είναι έτοιμη.")
    assert notification.channel == "webhook"

    assert deliver_due(worker="w") == 0
    clock.move_to(T0 + 30 * SECOND)
    assert deliver_due(worker="w") == 0

    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    keys = [r.headers["x-idempotency-key"] for r in hook_server.received]
    assert keys == [notification.idempotency_key] * 2
    fallback = Notification.objects.get(fallback_of=notification)
    assert fallback.channel == "email"
    assert fallback.address == "carol@acme.example"
    assert fallback.state == Notification.State.QUEUED
    assert (fallback.subject, fallback.body) == (notification.subject, notification.body)
    assert (fallback.subject_type, fallback.subject_id) == (
        notification.subject_type,
        notification.subject_id,
    )
    assert Alert.objects.filter(kind=Alert.Kind.DELIVERY_FAILED).count() == 1
    assert events(notification, "notification.failed") == 1
    assert events(notification, "notification.fallback") == 1

    assert deliver_due(worker="w") == 1
    assert smtp_settings.wait_for(1)
    [received] = smtp_settings.received
    assert received.rcpt_tos == ["carol@acme.example"]
    assert received.message["Message-ID"] == f"<{fallback.idempotency_key}@localhost>"
    assert received.message["Subject"] == "Πρόοδος για το New shop"
    fallback.refresh_from_db()
    assert fallback.state == Notification.State.SENT
    # Nothing else: no second fallback, no second alert.
    assert deliver_due(worker="w") == 0
    assert Notification.objects.count() == 2
    assert Alert.objects.filter(kind=Alert.Kind.DELIVERY_FAILED).count() == 1


def test_bad_channel_address_fails_at_once_and_falls_back(
    settings: SettingsWrapper,
    smtp_settings: SmtpServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    """A channel whose credentials went away after the row was queued fails for good: no retry."""
    settings.CHANNEL_URLS = {
        **settings.CHANNEL_URLS,
        "telegram": "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/{to}",
    }
    contact_update(
        contact=carol, actor=alice.user, telegram="987654321", preferred_channel="telegram"
    )
    notification = queue_update(shop, alice, carol)
    settings.CHANNEL_URLS = {**settings.CHANNEL_URLS, "telegram": ""}

    assert deliver_due(worker="w") == 0
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.FAILED, 1)
    assert "not configured" in notification.last_error
    assert deliver_due(worker="w") == 1  # the email fallback
    assert smtp_settings.wait_for(1)
    assert (
        Alert.objects.filter(kind=Alert.Kind.DELIVERY_FAILED, subject_id=notification.pk).count()
        == 1
    )


def test_retries_and_fallback_wait_for_contact_hours(
    settings: SettingsWrapper,
    hook_server: HookServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    acme: Client,
) -> None:
    """A send that fails just before the contact's hours end is retried, and falls back to
    email, when their hours open again: not in the evening."""
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    hook_server.status = 500
    dimitra = contact_create(
        client=acme,
        actor=alice.user,
        name="Dimitra",
        email="dimitra@acme.example",
        contact_hours_start=dt.time(9),
        contact_hours_end=dt.time(18),
        timezone="Europe/Athens",
        preferred_channel="webhook",
        webhook_url=hook_server.url(),
    )
    last_minute = dt.datetime(2026, 11, 23, 15, 59, 50, tzinfo=dt.UTC)  # 17:59:50 in Athens
    next_morning = dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)  # 09:00 in Athens
    clock.move_to(last_minute)
    notification = queue_update(shop, alice, dimitra)
    assert notification.not_before == last_minute
    assert deliver_due(worker="w") == 0
    notification.refresh_from_db()
    assert notification.state == Notification.State.QUEUED
    assert notification.not_before == next_morning  # not 18:00:20

    clock.move_to(next_morning)
    assert deliver_due(worker="w") == 0
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    fallback = Notification.objects.get(fallback_of=notification)
    assert fallback.not_before == next_morning  # inside the hours: at once

    assert fallback.state == Notification.State.QUEUED


def test_urgent_retries_do_not_wait_for_contact_hours(
    hook_server: HookServer, clock: time_machine.Traveller, alice: Persona, acme: Client
) -> None:
    hook_server.status = 500
    dimitra = contact_create(
        client=acme,
        actor=alice.user,
        name="Dimitra",
        email="dimitra@acme.example",
        contact_hours_start=dt.time(9),
        contact_hours_end=dt.time(18),
        preferred_channel="webhook",
        webhook_url=hook_server.url(),
    )
    eleven_pm = dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.UTC)
    clock.move_to(eleven_pm)
    request_receive(
        client=acme, contact=dimitra, source="portal", subject="Banner", body="A banner"
    )
    ack = Notification.objects.get(kind="request_ack")
    # Only the contact's messages matter here (the provider's own notice has its tests).
    Notification.objects.exclude(contact=dimitra).delete()
    assert deliver_due(worker="w") == 0
    ack.refresh_from_db()
    assert ack.state == Notification.State.QUEUED
    assert ack.not_before == eleven_pm + 30 * SECOND


# --- The sweeper ---------------------------------------------------------------------------------


def test_sweeper_requeues_a_dead_workers_row_which_is_then_sent_once(
    smtp_settings: SmtpServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    notification = queue_update(shop, alice, carol)
    [held] = claim(worker="dead")
    assert held.pk == notification.pk
    # The worker dies here, holding the row.
    assert deliver_due(worker="live") == 0

    clock.move_to(T0 + 300 * SECOND)  # NOTIFICATION_CLAIM_TIMEOUT_SECONDS: not yet
    assert sweep() == 0
    clock.move_to(T0 + 301 * SECOND)
    assert sweep() == 1
    notification.refresh_from_db()
    assert (notification.state, notification.claimed_by) == (Notification.State.QUEUED, "")
    assert notification.not_before == T0 + 301 * SECOND
    assert sweep() == 0

    assert deliver_due(worker="live") == 1
    assert deliver_due(worker="live") == 0
    assert smtp_settings.wait_for(1)
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.attempts == 2
    assert notification.claimed_by == "live"
    assert [r.message_id for r in smtp_settings.received] == [
        f"<{notification.idempotency_key}@localhost>"
    ]
    assert events(notification, "notification.sent") == 1


def test_a_worker_that_wakes_up_late_does_not_send_what_it_lost(
    smtp_settings: SmtpServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    """A stalled (not dead) worker resumes after its lease ran out and the sweeper gave its row
    to another worker. Before sending it checks it still holds the row: it does not, so it
    neither sends the message a second time nor touches the row."""
    notification = queue_update(shop, alice, carol)
    [stale] = claim(worker="slow")
    clock.move_to(T0 + 301 * SECOND)
    assert sweep() == 1
    assert deliver_due(worker="live") == 1
    notification.refresh_from_db()
    sent_at = notification.sent_at

    clock.move_to(T0 + 400 * SECOND)
    assert deliver_one(stale, worker="slow") is False
    notification.refresh_from_db()
    assert (notification.state, notification.claimed_by, notification.sent_at) == (
        Notification.State.SENT,
        "live",
        sent_at,
    )
    assert events(notification, "notification.sent") == 1
    assert smtp_settings.wait_for(1)
    assert smtp_settings.message_ids() == [f"<{notification.idempotency_key}@localhost>"]
    assert DeliveryAttempt.objects.filter(notification=notification, worker="slow").count() == 0


def test_a_lease_that_ran_out_is_not_renewed(
    smtp_settings: SmtpServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    carol: Contact,
) -> None:
    """Past its lease a row is lost to its worker even before the sweeper has run: the sweeper
    may be handing it over at that very moment."""
    notification = queue_update(shop, alice, carol)
    [held] = claim(worker="slow")
    clock.move_to(T0 + 299 * SECOND)
    assert renew(worker="slow", ids=[held.pk]) == {held.pk}  # renewed until T0 + 599 s
    clock.move_to(T0 + 500 * SECOND)
    assert sweep() == 0  # the renewed lease still holds
    clock.move_to(T0 + 600 * SECOND)
    assert renew(worker="slow", ids=[held.pk]) == set()
    assert deliver_one(held, worker="slow") is False
    assert sweep() == 1
    notification.refresh_from_db()
    assert (notification.state, notification.lease_until) == (Notification.State.QUEUED, None)
    assert smtp_settings.received == []


def test_sweeper_requeues_for_the_contacts_hours(
    clock: time_machine.Traveller, shop: Project, alice: Persona, carol: Contact
) -> None:
    """A message abandoned by a dead worker just before the contact's hours end waits for the
    next morning in their time zone, like any queued message (urgent ones do not wait)."""
    contact_update(
        contact=carol,
        actor=alice.user,
        timezone="Europe/Athens",
        contact_hours_start=dt.time(9),
        contact_hours_end=dt.time(18),
    )
    # Monday 17:58 in Athens: claimed inside the hours, abandoned, swept at 18:03.
    clock.move_to(dt.datetime(2026, 11, 23, 15, 58, tzinfo=dt.UTC))
    notification = queue_update(shop, alice, carol)
    claim(worker="dead")
    clock.move_to(dt.datetime(2026, 11, 23, 16, 3, 30, tzinfo=dt.UTC))
    assert sweep() == 1
    notification.refresh_from_db()
    assert (notification.state, notification.claimed_by) == (Notification.State.QUEUED, "")
    # Tuesday 09:00 in Athens.
    assert notification.not_before == dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)
    assert deliver_due(worker="live") == 0


def test_sweeper_leaves_fresh_claims_alone(
    clock: time_machine.Traveller, shop: Project, alice: Persona, carol: Contact
) -> None:
    queue_update(shop, alice, carol)
    claim(worker="busy")
    clock.move_to(T0 + 299 * SECOND)
    assert sweep() == 0
    assert Notification.objects.get().state == Notification.State.SENDING


# --- Claims --------------------------------------------------------------------------------------


def make_notifications(
    contact: Contact, count: int, *, not_before: dt.datetime
) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            workspace_id=contact.workspace_id,
            client=contact.client,
            contact=contact,
            kind="test",
            channel="email",
            address=contact.email,
            language="el",
            subject=f"Message {i}",
            body="Body\n",
            not_before=not_before + i * dt.timedelta(microseconds=1),
        )
        for i in range(count)
    )


def test_two_claims_never_share_a_row(clock: time_machine.Traveller, carol: Contact) -> None:
    rows = make_notifications(carol, 25, not_before=T0 - SECOND)
    first = claim(worker="a", limit=10)
    second = claim(worker="b", limit=10)
    third = claim(worker="c", limit=10)
    assert [len(first), len(second), len(third)] == [10, 10, 5]
    ids = [n.pk for n in first + second + third]
    assert sorted(ids) == sorted(r.pk for r in rows)
    assert len(set(ids)) == 25
    # Oldest first.
    assert [n.pk for n in first] == [r.pk for r in rows[:10]]
    assert claim(worker="d") == []
    for worker, batch in (("a", first), ("b", second), ("c", third)):
        assert all(n.claimed_by == worker and n.state == Notification.State.SENDING for n in batch)
        assert all(n.attempts == 1 and n.claimed_at == T0 for n in batch)


def test_claim_skips_rows_not_yet_due_and_other_states(
    clock: time_machine.Traveller, carol: Contact
) -> None:
    due, later, sent, failed = make_notifications(carol, 4, not_before=T0 - SECOND)
    Notification.objects.filter(pk=later.pk).update(not_before=T0 + SECOND)
    Notification.objects.filter(pk=sent.pk).update(state=Notification.State.SENT)
    Notification.objects.filter(pk=failed.pk).update(state=Notification.State.FAILED)
    assert [n.pk for n in claim(worker="a")] == [due.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_share_a_row(carol: Contact) -> None:
    """Four workers (threads, each with its own database connection) claim until none is left."""
    rows = make_notifications(carol, 200, not_before=dt.datetime.now(dt.UTC) - SECOND)
    got: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(name: str) -> None:
        mine: list[int] = []
        try:
            start.wait()
            while batch := claim(worker=name, limit=7):
                mine += [n.pk for n in batch]
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            got[name] = mine
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    claimed = [pk for ids in got.values() for pk in ids]
    assert len(claimed) == len(set(claimed)) == 200
    assert set(claimed) == {r.pk for r in rows}
    owners = dict(Notification.objects.values_list("pk", "claimed_by"))
    for name, ids in got.items():
        assert all(owners[pk] == name for pk in ids)
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_success_is_recorded_whole_outside_a_transaction(
    clock: time_machine.Traveller, shop: Project, alice: Persona, carol: Contact
) -> None:
    """Outside a transaction (as the worker runs) a success is recorded in one transaction:
    the row is sent, with one attempt and one timeline event."""
    assert not connection.in_atomic_block
    notification = queue_update(shop, alice, carol)
    [claimed] = claim(worker="w1", limit=10)
    assert deliver_one(claimed, worker="w1") is True
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.sent_at == T0
    assert notification.last_error == ""
    [attempt] = DeliveryAttempt.objects.filter(notification=notification)
    assert (attempt.ok, attempt.worker, attempt.finished_at, attempt.error) == (True, "w1", T0, "")
    [event] = TimelineEvent.objects.filter(verb="notification.sent", subject_id=notification.pk)
    assert (event.workspace_id, event.client_id, event.subject_type) == (
        notification.workspace_id,
        notification.client_id,
        "notification",
    )
    assert event.data == {
        "name": carol.name,
        "channel": "email",
        "subject": notification.subject,
    }
    assert event.actor_id is None and event.created_at == T0

    # A row another worker holds is not marked, and no event is written for it.
    other = queue_update(shop, alice, carol, body="More news.")
    [held] = claim(worker="w2", limit=10)
    assert held.pk == other.pk
    assert deliver_one(held, worker="w1") is False  # not sent by a worker that does not hold it
    other.refresh_from_db()
    assert (other.state, other.claimed_by) == (Notification.State.SENDING, "w2")
    assert not TimelineEvent.objects.filter(verb="notification.sent", subject_id=other.pk).exists()
    assert not DeliveryAttempt.objects.filter(notification=other).exists()
