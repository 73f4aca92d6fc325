"""Crash safety of the deliverer: real worker processes are killed with SIGKILL while they send
500 notifications to a real SMTP server, 20 times over. Afterwards every notification reached
the server and every row is "sent"; a message may have been received twice (the worker died
after the server accepted it but before it marked the row), always with the same Message-ID,
which is how the receiving side keeps it to one (DESIGN.md, "The engine")."""

from __future__ import annotations

import contextlib
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
            pytest.skip(
                "the worker processes need a file database; set DATABASES TEST NAME for SQLite"
            )
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


# The workers are real processes running the real ``deliver`` command, forked from one process
# that has loaded Django once (as gunicorn --preload does): each has its own pid, database
# connection and SMTP session, and dies alone. A cold start costs seconds of CPU on a busy
# machine, and 21 of them would not fit the time budget.
FORK_SERVER = f"""
import os
import sys
import traceback

import django

django.setup()
import django.core.mail.backends.smtp
import rapport.notifications.management.commands.deliver
from django.core.management import call_command


def reply(text):
    sys.stdout.write(text + "\\n")
    sys.stdout.flush()


reply("ready")
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "fork":
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                call_command("deliver", batch={BATCH}, idle_sleep=0.05)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        reply(str(pid))
    elif command == "wait":
        _, status = os.waitpid(int(argument), 0)
        reply(str(os.waitstatus_to_exitcode(status)))
"""


class ForkServer:
    def __init__(self, env: dict[str, str], log: IO[bytes]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        self.children: set[int] = set()
        assert self._read(120) == "ready", "the fork server did not start"

    def _read(self, timeout: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready, "no answer from the fork server"
        return self.process.stdout.readline().decode().strip()

    def _ask(self, line: str, timeout: float = 30) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        self.process.stdin.flush()
        return self._read(timeout)

    def start_worker(self) -> int:
        pid = int(self._ask("fork"))
        self.children.add(pid)
        return pid

    def wait(self, pid: int) -> int:
        """The worker's exit code once it ended (-9 after SIGKILL)."""
        code = int(self._ask(f"wait {pid}"))
        self.children.discard(pid)
        return code

    def close(self) -> None:
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def worker_name(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}"


def unsent() -> int:
    return Notification.objects.exclude(state=Notification.State.SENT).count()


def wait_until_it_claims(pid: int, timeout: float = 60) -> bool:
    """Wait until the worker has claimed rows (it is delivering); False if nothing is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Notification.objects.filter(claimed_by=worker_name(pid)).exists():
            return True
        if not unsent():
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
def test_killed_workers_lose_no_message_and_repeat_one_at_most_per_kill(
    carol: Contact, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = worker_env(smtp_server.port)
    smtp_server.handler.delay = SERVER_DELAY_SECONDS
    # Reachable around the clock (a window from midnight to midnight): the sweeper puts a
    # message taken back from a dead worker at the next moment of the contact's hours, and this
    # test must not depend on the hour it runs at (after 20:00 in Athens it would wait a night).
    Contact.objects.filter(pk=carol.pk).update(
        contact_hours_start=dt.time(0), contact_hours_end=dt.time(0)
    )
    rows = make_notifications(carol)
    expected = {message_id(n) for n in rows}
    assert len(expected) == TOTAL
    rng = random.Random(20261123)
    log_path = tmp_path / "workers.log"
    held_at_kill: list[int] = []

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-3000:]

    with log_path.open("ab") as log:
        server = ForkServer(env, log)
        started = time.monotonic()
        try:
            for _ in range(KILLS):
                pid = server.start_worker()
                if wait_until_it_claims(pid):
                    time.sleep(rng.uniform(0.05, 0.5))
                os.kill(pid, signal.SIGKILL)
                assert server.wait(pid) == -signal.SIGKILL
                held_at_kill.append(
                    Notification.objects.filter(
                        state=Notification.State.SENDING, claimed_by=worker_name(pid)
                    ).count()
                )
            # Let the claims of the last killed worker expire, so the next worker's sweeper
            # puts them back in the queue when it starts.
            time.sleep(CLAIM_TIMEOUT_SECONDS + 0.5)
            sent_while_killing = TOTAL - unsent()
            final = server.start_worker()
            deadline = time.monotonic() + FINAL_WAIT_SECONDS
            while unsent() and time.monotonic() < deadline:
                time.sleep(0.1)
            left = unsent()
            os.kill(final, signal.SIGTERM)
            returncode = server.wait(final)
        finally:
            server.close()
    elapsed = time.monotonic() - started

    assert left == 0, f"{left} notifications not sent\n{log_tail()}"
    assert returncode == 0, log_tail()  # SIGTERM ends the worker cleanly
    # Every row sent, exactly once as far as the database is concerned.
    assert Notification.objects.filter(state=Notification.State.SENT).count() == TOTAL
    sent_events = Counter(
        TimelineEvent.objects.filter(
            verb="notification.sent", subject_type="notification"
        ).values_list("subject_id", flat=True)
    )
    assert set(sent_events) == {n.pk for n in rows}
    assert set(sent_events.values()) == {1}
    assert (
        DeliveryAttempt.objects.filter(ok=True).values("notification").distinct().count() == TOTAL
    )
    # Only workers died, the server never refused; a send can still time out on a very busy
    # machine, and is then retried like any other failure.
    failed_attempts = DeliveryAttempt.objects.filter(ok=False).count()

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
        f"{sent_while_killing} sent before the last worker, {raw_duplicates} raw duplicates, "
        f"{sum(1 for c in ids.values() if c > 1)} messages repeated, "
        f"{failed_attempts} failed sends, max claims of one row {attempts[-1]}, {elapsed:.1f}s"
    )
