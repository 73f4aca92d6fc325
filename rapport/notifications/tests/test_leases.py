"""Leases, the send cap and fair claiming, with live workers (threads, each with its own
database connection) against real HTTP endpoints on 127.0.0.1: a slow one, and one that
accepts connections and never answers."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.conftest import Persona
from rapport.notifications.delivery import claim, deliver_due, sweep
from rapport.notifications.models import DeliveryAttempt, Notification
from rapport.notifications.tests.conftest import HookServer

CAP = 1.0  # NOTIFICATION_SEND_TIMEOUT_SECONDS in these tests


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An HTTP endpoint that accepts the connection, reads the request and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(client)  # kept open, never answered

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/never"
    finally:
        stop.set()
        thread.join(5)
        for client in held:
            client.close()
        server.close()


def rows(persona: Persona, url: str, count: int, *, age: float, prefix: str) -> list[Notification]:
    """Address-only webhook messages of ``persona``'s workspace, due ``age`` seconds ago."""
    due = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age)
    return Notification.objects.bulk_create(
        Notification(
            workspace_id=persona.workspace.pk,
            recipient_name=f"{prefix} {i}",
            kind="test",
            channel="webhook",
            address=url,
            language="en",
            subject=f"{prefix} {i}",
            body="Body\n",
            urgent=True,
            not_before=due + i * dt.timedelta(milliseconds=1),
        )
        for i in range(count)
    )


def test_a_never_answering_endpoint_delays_another_workspace_by_one_cap_at_most(
    settings: SettingsWrapper,
    hook_server: HookServer,
    black_hole: str,
    alice: Persona,
    mallory: Persona,
) -> None:
    """Mallory's five messages (older) go to an endpoint that never answers; Alice's one goes
    to a working endpoint. Each of Mallory's sends ends at the cap, and Alice's message starts
    after at most one of them, however many Mallory has queued."""
    settings.NOTIFICATION_SEND_TIMEOUT_SECONDS = CAP
    hostile = rows(mallory, black_hole, 5, age=60, prefix="mallory")
    [fine] = rows(alice, hook_server.url(), 1, age=1, prefix="alice")

    for _ in range(3):
        deliver_due(worker="w", limit=50)

    fine.refresh_from_db()
    assert fine.state == Notification.State.SENT
    [alice_send] = DeliveryAttempt.objects.filter(notification=fine)
    hostile_sends = list(
        DeliveryAttempt.objects.filter(notification__in=hostile).order_by("started_at")
    )
    assert hostile_sends, "the hostile endpoint was never tried"
    for send in hostile_sends:
        assert send.finished_at is not None
        took = (send.finished_at - send.started_at).total_seconds()
        assert not send.ok and "timed out" in send.error
        assert CAP * 0.9 <= took < CAP + 0.5, took  # held to the cap, not the OS's timeout
    before = [s for s in hostile_sends if s.started_at < alice_send.started_at]
    assert len(before) <= 1
    waited = (alice_send.started_at - hostile_sends[0].started_at).total_seconds()
    assert waited < CAP + 0.5
    assert [r.headers["x-idempotency-key"] for r in hook_server.received] == [fine.idempotency_key]
    # The slow send ended its batch: Mallory's other rows went back to the queue unspent.
    assert sorted(
        Notification.objects.filter(pk__in=[n.pk for n in hostile]).values_list(
            "attempts", flat=True
        )
    ) == sorted([1] * len(hostile_sends) + [0] * (5 - len(hostile_sends)))


def test_claims_go_round_robin_across_workspaces(
    settings: SettingsWrapper, alice: Persona, mallory: Persona
) -> None:
    settings.NOTIFICATION_CLAIM_PER_WORKSPACE = 2
    old = rows(mallory, "http://1.1.1.1/", 5, age=60, prefix="m")
    new = rows(alice, "http://1.1.1.1/", 3, age=1, prefix="a")
    batch = claim(worker="w", limit=10)
    assert [n.pk for n in batch] == [old[0].pk, new[0].pk, old[1].pk, new[1].pk]
    # The rest is left for the next claim, in the same order.
    assert [n.pk for n in claim(worker="w", limit=10)] == [old[2].pk, new[2].pk, old[3].pk]
    # A workspace whose last send was slow comes last.
    Notification.objects.update(state=Notification.State.QUEUED, claimed_by="")
    batch = claim(worker="w", limit=3, resting={mallory.workspace.pk})
    assert [n.workspace_id for n in batch] == [alice.workspace.pk] * 2 + [mallory.workspace.pk]


@pytest.mark.django_db(transaction=True)
def test_two_live_workers_and_the_sweeper_send_no_message_twice(
    settings: SettingsWrapper, hook_server: HookServer, alice: Persona
) -> None:
    """Each batch takes longer than a lease (20 sends of 0.2 s against a 3 s lease) while the
    sweeper runs without pause: workers renew their leases before each send, so the sweeper
    takes nothing from them and every message arrives once. The lease leaves each send
    seconds of slack: on a loaded machine a 1 s lease ran out inside one SQLite-locked send,
    which is a stalled worker (the sweeper's job), not the case under test."""
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 3
    settings.NOTIFICATION_SEND_TIMEOUT_SECONDS = 5.0
    hook_server.delay = 0.2
    total = 30
    queued = rows(alice, hook_server.url(), total, age=1, prefix="slow")
    swept: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def unsent() -> int:
        return Notification.objects.exclude(state=Notification.State.SENT).count()

    def worker(name: str) -> None:
        try:
            deadline = time.monotonic() + 120
            while unsent() and time.monotonic() < deadline:
                deliver_due(worker=name, limit=20)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    def sweeper() -> None:
        try:
            while not done.is_set():
                swept.append(sweep())
                time.sleep(0.02)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    sweeping = threading.Thread(target=sweeper)
    sweeping.start()
    workers = [threading.Thread(target=worker, args=(f"w{i}",)) for i in (1, 2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(180)
    done.set()
    sweeping.join(30)

    assert not errors, errors
    keys = Counter(r.headers["x-idempotency-key"] for r in hook_server.received)
    assert keys == Counter({n.idempotency_key: 1 for n in queued})
    assert sum(swept) == 0
    assert set(Notification.objects.values_list("state", "attempts")) == {
        (Notification.State.SENT, 1)
    }
    by_worker = Counter(DeliveryAttempt.objects.values_list("worker", flat=True))
    assert sum(by_worker.values()) == total
    assert set(by_worker) == {"w1", "w2"}  # both really worked
