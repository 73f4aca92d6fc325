"""Crash safety of the deliverer: real worker processes are killed with SIGKILL while they send
500 notifications to a real SMTP server, 20 times over. Afterwards every notification reached
the server and every row is "sent"; a message may have been received twice (the worker died
after the server accepted it but before it marked the row), always with the same Message-ID,
which is how the receiving side keeps it to one (DESIGN.md, "The engine")."""

from __future__ import annotations

import datetime as dt
import os
import random
import select
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from rapport.clients.models import Contact
from rapport.core.models import TimelineEvent
from rapport.notifications.channels.email import message_id
from rapport.notifications.models import DeliveryAttempt, Notification
from rapport.notifications.tests.conftest import SmtpServer

TOTAL = 500
KILLS = 20
BATCH = 20
CLAIM_TIMEOUT_SECONDS = 1
# The SMTP server answers each message after this long, as a real one over a network would;
# it spreads the 500 sends over the 20 kills instead of letting the first worker send them all.
SERVER_DELAY_SECONDS = 0.01
FINAL_WAIT_SECONDS = 60


def database_url() -> str:
    """The URL of the test database this process uses, for the worker processes."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the worker processes need a file database; set DATABASES TEST NAME for SQLite")
        return f"sqlite:///{Path(name).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"])
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'])}"
    pytest.skip(f"no worker URL for {db['ENGINE']}")


def worker_env(smtp_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-secret-key-0123456789-0123456789",
        "SECURE": "0",
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "5",
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "NOTIFICATION_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT_SECONDS),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


# A real worker process running the real ``deliver`` command. It loads Django first and waits
# for a "go" line on stdin, so that the 21 processes can start up side by side before the test
# (a cold start takes seconds on a busy machine; 21 in a row would not fit the time budget).
BOOTSTRAP = f"""
import sys
import django
django.setup()
import django.core.mail.backends.smtp
from django.core.management import call_command
import rapport.notifications.management.commands.deliver
sys.stdout.write("ready\\n")
sys.stdout.flush()
if sys.stdin.readline().strip() == "go":
    call_command("deliver", batch={BATCH}, idle_sleep=0.05)
"""


class Worker:
    def __init__(self, env: dict[str, str], log: IO[bytes]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOOTSTRAP],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        self.name = f"{socket.gethostname()}:{self.process.pid}"

    def go(self, timeout: float = 60) -> None:
        """Wait until Django is loaded, then start delivering."""
        assert self.process.stdout is not None and self.process.stdin is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready and self.process.stdout.readline() == b"ready\n", "the worker did not start"
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()

    def signal(self, sig: int) -> None:
        self.process.send_signal(sig)

    def wait(self, timeout: float = 30) -> int:
        return self.process.wait(timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def unsent() -> int:
    return Notification.objects.exclude(state=Notification.State.SENT).count()


def wait_until_it_claims(worker: Worker, timeout: float = 60) -> bool:
    """Wait until the worker has claimed rows (it is delivering); False if nothing is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Notification.objects.filter(claimed_by=worker.name).exists():
            return True
        if not unsent() or worker.process.poll() is not None:
            return False
        time.sleep(0.01)
    return False


def make_notifications(contact: Contact) -> list[Notification]:
    now = timezone.now()
    return Notification.objects.bulk_create(
        (
            Notification(
                workspace_id=contact.workspace_id,
                client=contact.client,
                contact=contact,
                kind="fault_test",
                channel="email",
                address=contact.email,
                language="el",
                subject=f"Μήνυμα {i}",
                body=f"Γεια σας, {contact.name},\nmessage {i}\n",
                not_before=now - dt.timedelta(seconds=1),
            )
            for i in range(TOTAL)
        ),
        batch_size=250,
    )


@pytest.mark.django_db(transaction=True)
def test_killed_workers_lose_nothing_and_send_each_message_once(
    carol: Contact, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = worker_env(smtp_server.port)
    smtp_server.handler.delay = SERVER_DELAY_SECONDS
    rows = make_notifications(carol)
    expected = {message_id(n) for n in rows}
    assert len(expected) == TOTAL
    rng = random.Random(20261123)
    log_path = tmp_path / "workers.log"
    held_at_kill: list[int] = []
    started = time.monotonic()

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-3000:]

    with log_path.open("ab") as log:
        workers = [Worker(env, log) for _ in range(KILLS + 1)]
        try:
            for worker in workers[:KILLS]:
                worker.go()
                if wait_until_it_claims(worker):
                    time.sleep(rng.uniform(0.05, 0.5))
                worker.signal(signal.SIGKILL)
                worker.wait()
                held_at_kill.append(
                    Notification.objects.filter(state=Notification.State.SENDING, claimed_by=worker.name).count()
                )
            # Let the claims of the last killed worker expire, so the next worker's sweeper
            # puts them back in the queue when it starts.
            time.sleep(CLAIM_TIMEOUT_SECONDS + 0.5)
            final = workers[KILLS]
            final.go()
            deadline = time.monotonic() + FINAL_WAIT_SECONDS
            while unsent() and time.monotonic() < deadline and final.process.poll() is None:
                time.sleep(0.1)
            left = unsent()
            final.signal(signal.SIGTERM)
            returncode = final.wait()
        finally:
            for worker in workers:
                worker.stop()
    elapsed = time.monotonic() - started

    assert left == 0, f"{left} notifications not sent\n{log_tail()}"
    assert returncode == 0, log_tail()  # SIGTERM ends the worker cleanly
    # Every row sent, exactly once as far as the database is concerned.
    assert Notification.objects.filter(state=Notification.State.SENT).count() == TOTAL
    sent_events = Counter(
        TimelineEvent.objects.filter(verb="notification.sent", subject_type="notification").values_list(
            "subject_id", flat=True
        )
    )
    assert set(sent_events) == {n.pk for n in rows}
    assert set(sent_events.values()) == {1}
    assert DeliveryAttempt.objects.filter(ok=True).values("notification").distinct().count() == TOTAL
    assert not DeliveryAttempt.objects.filter(ok=False).exists(), "no send failed: only workers died"

    # At the receiving side: every notification arrived; repeats carry the same Message-ID.
    received = smtp_server.received
    ids = Counter(r.message_id for r in received)
    assert set(ids) == expected
    raw_duplicates = len(received) - len(ids)
    # A worker can die holding at most one message the server accepted but the row does not
    # yet say "sent": each kill costs at most one repeat.
    assert raw_duplicates <= KILLS
    for r in received:
        assert r.rcpt_tos == ["carol@acme.example"]
        assert r.message["X-Rapport-Idempotency-Key"] == r.message_id.strip("<>").split("@")[0]
    # The kills really landed while workers were holding rows (else the sweeper went untested).
    assert sum(1 for held in held_at_kill if held) >= 1, held_at_kill

    attempts = sorted(Notification.objects.values_list("attempts", flat=True))
    print(
        f"\n[fault] {connection.vendor}: {TOTAL} notifications, {KILLS} kills "
        f"({sum(1 for h in held_at_kill if h)} while holding rows, {sum(held_at_kill)} rows held), "
        f"{len(received)} raw receptions, {len(ids)} distinct Message-IDs, "
        f"{raw_duplicates} raw duplicates, {sum(1 for c in ids.values() if c > 1)} messages repeated, "
        f"max claims of one row {attempts[-1]}, {elapsed:.1f}s"
    )
