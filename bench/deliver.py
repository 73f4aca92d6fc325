"""Outbox throughput: client notifications per second to a local SMTP server, 1, 2, 4 workers.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_deliver \\
        .venv/bin/python bench/deliver.py
    DEBUG=1 DATABASE_URL=sqlite:///var/deliver.sqlite3 .venv/bin/python bench/deliver.py

The database must be migrated (``manage.py migrate``). The script owns the workspace of
deliver-bench@rapport.local (100 clients, 300 contacts) and empties its outbox between runs.

An SMTP server (aiosmtpd, in a child process) listens on 127.0.0.1 and counts what it
receives. For each worker count, that many ``manage.py deliver`` processes are started, with
EMAIL_HOST/EMAIL_PORT pointing at it, DATABASE_URL at the bench database and DEBUG off (the
rest of the environment, e.g. DB_CONN_MAX_AGE, is passed through). A warm-up batch shows
they are up; then ``--count`` urgent emails (rendered ``request_ack`` messages, as the
services write them) are committed to the outbox in one transaction, and the clock runs from
that commit until the database shows them all sent (polled every 20 ms); the workers' CPU
time in that window is read from /proc. Only 127.0.0.1 is contacted.

Then, in this process (``--in-process``, DEBUG off): the app's deliver_due against a candidate
that records the successes once per batch, the MIME build and the SMTP transfer timed apart,
and (``--profile``) one deliverer under cProfile, to show where a message's time goes.
Takes 3 to 4 minutes with the defaults.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import os
import pstats
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import _setup


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The SMTP sink's address, set before Django reads its settings (for the in-process profile).
SMTP_PORT = free_port()
os.environ["EMAIL_BACKEND"] = "smtp"
os.environ["EMAIL_HOST"] = "127.0.0.1"
os.environ["EMAIL_PORT"] = str(SMTP_PORT)
os.environ["EMAIL_HOST_USER"] = ""
os.environ["EMAIL_HOST_PASSWORD"] = ""
os.environ["EMAIL_USE_TLS"] = "0"

_setup.django_setup(production_like=True)

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Membership, User, Workspace  # noqa: E402
from rapport.accounts.services import user_signup  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402
from rapport.core.models import TimelineEvent  # noqa: E402
from rapport.notifications.models import DeliveryAttempt, Notification  # noqa: E402
from rapport.notifications.services import render_message  # noqa: E402

EMAIL = "deliver-bench@rapport.local"
CLIENTS = 100
CONTACTS_PER_CLIENT = 3
WARMUP_PER_WORKER = 20
KEY_HEADER = b"X-Rapport-Idempotency-Key:"


def busy() -> str:
    """The load averages and, on Linux, the share of time runnable tasks waited for a CPU
    (other work on the machine stretches wall times; CPU times are steadier)."""
    text = f"load {_setup.load_average()}"
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return text
    fields = dict(part.split("=") for part in line.split()[1:])
    return (
        f"{text}, CPU pressure {fields['avg10']} % (10 s) {fields['avg60']} % (60 s),"
        f" {os.cpu_count()} CPUs"
    )


# --- the SMTP sink -----------------------------------------------------------------------------


def sink_main(port: int, received: Any, duplicates: Any, ready: Any, stop: Any) -> None:
    """Child process: accept every message, count them and the repeated idempotency keys."""
    from aiosmtpd.controller import Controller

    seen: set[bytes] = set()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            content = envelope.original_content or b""
            start = content.find(KEY_HEADER)
            key = content[start : content.find(b"\n", start)].strip() if start >= 0 else b""
            with received.get_lock():
                received.value += 1
                if key and key in seen:
                    duplicates.value += 1
            seen.add(key)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


@dataclass
class Sink:
    process: Any
    received: Any
    duplicates: Any
    stop_event: Any

    def stop(self) -> None:
        self.stop_event.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()


def sink_start(port: int) -> Sink:
    ctx = multiprocessing.get_context("fork")  # before this process opens a database connection
    received, duplicates = ctx.Value("i", 0), ctx.Value("i", 0)
    ready, stop = ctx.Event(), ctx.Event()
    process = ctx.Process(
        target=sink_main, args=(port, received, duplicates, ready, stop), daemon=True
    )
    process.start()
    if not ready.wait(15):
        process.terminate()
        sys.exit("the SMTP sink did not start")
    return Sink(process, received, duplicates, stop)


# --- data --------------------------------------------------------------------------------------


def bench_workspace() -> tuple[User, Workspace, list[Contact]]:
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        membership = user_signup(
            email=EMAIL,
            name="Deliver Bench",
            password=_setup.BENCH_PASSWORD,
            workspace_name="Deliver bench",
        )
        user, workspace = membership.user, membership.workspace
    else:
        workspace = Membership.objects.get(user=user, role=Membership.Role.OWNER).workspace
    if not Contact.objects.filter(workspace=workspace).exists():
        with transaction.atomic():
            clients = Client.objects.bulk_create(
                Client(
                    workspace=workspace,
                    name=f"Bench client {n}",
                    account_owner=user,
                    language=("en", "el", "ro", "id")[n % 4],
                    timezone=("Europe/Athens", "Europe/Bucharest", "Asia/Jakarta", "UTC")[n % 4],
                )
                for n in range(CLIENTS)
            )
            Contact.objects.bulk_create(
                Contact(
                    workspace=workspace,
                    client=client,
                    name=f"Contact {k} of {client.name}",
                    email=f"contact{k}@client{client.pk}.example",
                    preferred_channel="email",
                )
                for client in clients
                for k in range(CONTACTS_PER_CLIENT)
            )
    contacts = list(Contact.objects.filter(workspace=workspace).select_related("client"))
    return user, workspace, contacts


def outbox_empty(workspace: Workspace) -> None:
    """Delete the bench workspace's notifications, their attempts and timeline events."""
    notifications = Notification._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {DeliveryAttempt._meta.db_table} WHERE notification_id IN "
            f"(SELECT id FROM {notifications} WHERE workspace_id = %s)",
            [workspace.pk],
        )
        cursor.execute(f"DELETE FROM {notifications} WHERE workspace_id = %s", [workspace.pk])
        cursor.execute(
            f"DELETE FROM {TimelineEvent._meta.db_table} WHERE workspace_id = %s", [workspace.pk]
        )


def messages(contacts: list[Contact]) -> dict[int, tuple[str, str, str]]:
    """Each contact's request acknowledgement, rendered as notification_queue does it."""
    now = timezone.now()
    out = {}
    for n, contact in enumerate(contacts):
        request = SimpleNamespace(
            reference=f"R-{1000 + n}",
            subject="New banner sizes for the spring campaign",
            eta=now + timedelta(hours=4),
        )
        context = {
            "contact": contact,
            "client": contact.client,
            "workspace_name": "Studio Bench",
            "request": request,
        }
        out[contact.pk] = render_message(
            "request_ack", context, contact.effective_language, contact.effective_timezone
        )
    return out


def queue(
    workspace: Workspace,
    contacts: list[Contact],
    rendered: dict[int, tuple[str, str, str]],
    count: int,
    kind: str,
) -> int:
    """Commit ``count`` due email notifications; return the highest id before them."""
    mark = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    now = timezone.now()
    rows = []
    for n in range(count):
        contact = contacts[n % len(contacts)]
        subject, body, html = rendered[contact.pk]
        rows.append(
            Notification(
                workspace=workspace,
                client_id=contact.client_id,
                contact=contact,
                kind=kind,
                channel="email",
                address=contact.email,
                language=contact.effective_language,
                subject=subject[:300],
                body=body,
                html=html,
                urgent=True,
                not_before=now,
                subject_type="request",
                subject_id=n,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=1000)
    return mark


def wait_sent(mark: int, count: int, timeout: float) -> float | None:
    """Poll until ``count`` rows after ``mark`` are sent; the seconds it took, or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        sent = Notification.objects.filter(pk__gt=mark, state=Notification.State.SENT).count()
        if sent >= count:
            return time.perf_counter() - started
        time.sleep(0.02)
    return None


# --- workers -----------------------------------------------------------------------------------


def workers_start(n: int, batch: int, idle_sleep: float, logs: Path) -> list[subprocess.Popen]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-secret-key-only-for-local-measurements",
            "SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    command = [
        sys.executable,
        str(_setup.ROOT / "manage.py"),
        "deliver",
        "--batch",
        str(batch),
        "--idle-sleep",
        str(idle_sleep),
    ]
    processes = []
    for i in range(n):
        log = (logs / f"worker-{n}-{i}.log").open("w")
        processes.append(
            subprocess.Popen(command, cwd=_setup.ROOT, env=env, stdout=log, stderr=log)
        )
    return processes


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes used so far (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def workers_stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Run:
    workers: int
    seconds: float | None
    count: int
    smtp: int
    duplicates: int
    spread: str
    failed: int
    span: float | None
    worker_cpu: float
    sink_cpu: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def run(
    n: int,
    args: argparse.Namespace,
    sink: Sink,
    workspace: Workspace,
    contacts: list[Contact],
    rendered: dict[int, tuple[str, str, str]],
    logs: Path,
) -> Run:
    outbox_empty(workspace)
    processes = workers_start(n, args.batch, args.idle_sleep, logs)
    try:
        warm = queue(workspace, contacts, rendered, WARMUP_PER_WORKER * n, "bench_warmup")
        if wait_sent(warm, WARMUP_PER_WORKER * n, timeout=120) is None:
            dead = [p.args for p in processes if p.poll() is not None]
            sys.exit(
                f"the workers did not deliver the warm-up batch (exited: {len(dead)}); see {logs}"
            )
        smtp_before, dup_before = sink.received.value, sink.duplicates.value
        pids = [p.pid for p in processes]
        cpu_before, sink_before = cpu_seconds(pids), cpu_seconds([sink.process.pid])
        mark = queue(workspace, contacts, rendered, args.count, "request_ack")
        seconds = wait_sent(mark, args.count, timeout=args.timeout)
        worker_cpu = cpu_seconds(pids) - cpu_before
        time.sleep(0.2)  # let the sink count the last message
        sink_cpu = cpu_seconds([sink.process.pid]) - sink_before
    finally:
        workers_stop(processes)
    batch = Notification.objects.filter(pk__gt=mark)
    by_worker = (
        batch.filter(state=Notification.State.SENT)
        .values("claimed_by")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    times = batch.aggregate(first=Min("claimed_at"), last=Max("sent_at"))
    span = (
        (times["last"] - times["first"]).total_seconds()
        if times["first"] and times["last"]
        else None
    )
    return Run(
        workers=n,
        seconds=seconds,
        count=args.count,
        smtp=sink.received.value - smtp_before,
        duplicates=sink.duplicates.value - dup_before,
        spread="/".join(str(row["n"]) for row in by_worker),
        failed=batch.exclude(state=Notification.State.SENT).count(),
        span=span,
        worker_cpu=worker_cpu,
        sink_cpu=sink_cpu,
    )


# --- where the time goes -----------------------------------------------------------------------

SECTIONS = (
    ("rapport/notifications/delivery.py", "deliver_due", "one batch, all in"),
    ("rapport/notifications/leases.py", "claim", "  claim (rank, lock, update, reload)"),
    ("rapport/notifications/leases.py", "renew", "  lease renewal before each send"),
    ("rapport/notifications/channels/email/__init__.py", "open_session", "  SMTP connect"),
    ("rapport/notifications/delivery.py", "_send", "  per message: send and record"),
    ("rapport/notifications/channels/email/__init__.py", "build_message", "    build the email"),
    ("django/core/mail/backends/smtp.py", "send_messages", "    SMTP send, of which"),
    ("django/core/mail/message.py", "message", "      MIME message (headers, parts)"),
    ("email/generator.py", "flatten", "      serialise to bytes"),
    ("smtplib.py", "sendmail", "      smtplib.sendmail (round trips)"),
    ("rapport/notifications/delivery.py", "_record_success", "    record success (1 transaction)"),
    ("rapport/core/timeline.py", "timeline_record", "      timeline event insert"),
    ("django/db/backends/utils.py", "execute", "database execute (all queries)"),
    ("django/db/models/sql/compiler.py", "as_sql", "ORM SQL compilation"),
)


# --- in this process: sections without a profiler, and a candidate ------------------------------


def deliver_batched(*, worker: str, limit: int = 50) -> int:
    """deliver_due with the successes recorded once per batch (one transaction, one UPDATE,
    the attempts and the timeline events each in one INSERT) instead of one transaction and
    three statements per message. Failures go through the app's own _record_failure."""
    from rapport.notifications.channels import CHANNELS, DeliveryError
    from rapport.notifications.delivery import _record_failure
    from rapport.notifications.leases import claim

    sessions: dict[str, Any] = {}
    ok: list[tuple[Notification, Any, Any]] = []
    try:
        for notification in claim(worker=worker, limit=limit):
            channel = CHANNELS.get(notification.channel)
            if channel is not None and notification.channel not in sessions:
                try:
                    sessions[notification.channel] = channel.open_session()
                except Exception:  # as deliver_due: each send below fails and retries
                    sessions[notification.channel] = None
            started = timezone.now()
            try:
                if channel is None:
                    raise DeliveryError("unknown channel", permanent=True)
                channel.send(notification, sessions.get(notification.channel))
            except DeliveryError as exc:
                _record_failure(
                    notification,
                    worker=worker,
                    started=started,
                    error=str(exc),
                    permanent=exc.permanent,
                )
                continue
            except Exception as exc:
                _record_failure(
                    notification,
                    worker=worker,
                    started=started,
                    error=repr(exc),
                    permanent=False,
                )
                continue
            ok.append((notification, started, timezone.now()))
    finally:
        for kind, session in sessions.items():
            if session is not None:
                CHANNELS[kind].close_session(session)
    if not ok:
        return 0
    now = timezone.now()
    with transaction.atomic():
        held = set(
            Notification.objects.select_for_update()
            .filter(
                pk__in=[n.pk for n, _s, _f in ok],
                state=Notification.State.SENDING,
                claimed_by=worker,
            )
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=held).update(
            state=Notification.State.SENT, sent_at=now, last_error=""
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(notification=n, started_at=s, finished_at=f, ok=True, worker=worker)
            for n, s, f in ok
        )
        TimelineEvent.objects.bulk_create(
            TimelineEvent(
                workspace_id=n.client.workspace_id,
                client=n.client,
                verb="notification.sent",
                subject_type="notification",
                subject_id=n.pk,
                data={"name": n.contact.name, "channel": n.channel, "subject": n.subject},
            )
            for n, _s, _f in ok
            if n.pk in held
        )
    return len(ok)


def in_process(
    label: str,
    deliver: Any,
    args: argparse.Namespace,
    workspace: Workspace,
    contacts: list[Contact],
    rendered: dict[int, tuple[str, str, str]],
) -> tuple[float, float]:
    """One deliverer in this process: messages a second and CPU milliseconds a message."""
    outbox_empty(workspace)
    n = args.in_process
    mark = queue(workspace, contacts, rendered, n, "request_ack")
    sent = 0
    with override_settings(DEBUG=False):
        started, cpu = time.perf_counter(), time.process_time()
        while sent < n:
            done = deliver(worker="bench-in-process", limit=args.batch)
            if not done:
                break
            sent += done
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ok = Notification.objects.filter(pk__gt=mark, state=Notification.State.SENT).count()
    events = TimelineEvent.objects.filter(workspace=workspace, verb="notification.sent").count()
    attempts = DeliveryAttempt.objects.filter(notification__pk__gt=mark, ok=True).count()
    print(
        f"  {label:40} {sent / seconds:6.0f} msg/s, CPU {1000 * cpu / max(sent, 1):5.2f} ms"
        f" a message ({ok:,} sent, {attempts:,} attempts, {events:,} timeline events)"
    )
    return sent / seconds, 1000 * cpu / max(sent, 1)


def sections(
    args: argparse.Namespace,
    workspace: Workspace,
    contacts: list[Contact],
    rendered: dict[int, tuple[str, str, str]],
) -> None:
    """The parts of one send timed apart, without a profiler."""
    import email.policy

    from django.core.mail import mailers

    from rapport.notifications.channels.email import channel as email_channel
    from rapport.notifications.delivery import deliver_due

    print(f"\n== one deliverer in this process, {args.in_process:,} messages (DEBUG off)")
    in_process("deliver_due (the app's)", deliver_due, args, workspace, contacts, rendered)
    in_process(
        "candidate: success recorded per batch",
        deliver_batched,
        args,
        workspace,
        contacts,
        rendered,
    )
    notifications = list(
        Notification.objects.filter(workspace=workspace).select_related("contact", "client")[
            : args.in_process
        ]
    )
    started, cpu = time.perf_counter(), time.process_time()
    payloads = [
        email_channel.build_message(n).message(policy=email.policy.SMTP).as_bytes()
        for n in notifications
    ]
    mime = 1000 * (time.process_time() - cpu) / len(notifications)
    mime_wall = 1000 * (time.perf_counter() - started) / len(notifications)
    backend = mailers.default
    backend.open()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for n, payload in zip(notifications, payloads, strict=True):
            backend.connection.sendmail("rapport@localhost", [n.address], payload)
        smtp_wall = 1000 * (time.perf_counter() - started) / len(notifications)
        smtp = 1000 * (time.process_time() - cpu) / len(notifications)
    finally:
        backend.close()
    size = sum(len(p) for p in payloads) / len(payloads)
    print(
        f"  apart: build + serialise the MIME message {mime:.2f} ms CPU ({mime_wall:.2f} ms"
        f" wall; {size / 1024:.1f} KiB, text + HTML); SMTP transfer of the bytes {smtp:.2f} ms"
        f" CPU ({smtp_wall:.2f} ms wall)"
    )


def profile(
    args: argparse.Namespace,
    workspace: Workspace,
    contacts: list[Contact],
    rendered: dict[int, tuple[str, str, str]],
) -> None:
    from rapport.notifications.delivery import deliver_due

    outbox_empty(workspace)
    mark = queue(workspace, contacts, rendered, args.profile, "request_ack")
    profiler = cProfile.Profile()
    sent = 0
    with override_settings(DEBUG=False):
        started, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        while sent < args.profile:
            done = deliver_due(worker="bench-profile", limit=args.batch)
            if not done:
                break
            sent += done
        profiler.disable()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    left = Notification.objects.filter(pk__gt=mark).exclude(state=Notification.State.SENT).count()
    print(
        f"\n== one deliverer in this process under cProfile: {sent:,} sent in {seconds:.2f} s "
        f"({sent / seconds:.0f}/s with the profiler's overhead; CPU {cpu:.2f} s, "
        f"{1000 * cpu / max(sent, 1):.2f} ms CPU a message; {left} not sent)"
    )
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in entries.values())  # tottime over all functions = profiled time
    print(f"  profiled time {total:.2f} s; cumulative time per section and per message:")
    for path, name, label in SECTIONS:
        cumulative, calls = 0.0, 0
        for (filename, _line, function), (_cc, nc, _tt, ct, _callers) in entries.items():
            if function == name and filename.endswith(path):
                cumulative += ct
                calls += nc
        if calls:
            print(
                f"    {label:40} {cumulative:6.2f} s {100 * cumulative / total:5.1f} %"
                f"  {1000 * cumulative / max(sent, 1):6.3f} ms/msg  ({calls:,} calls)"
            )
    print("  top 12 functions by own time:")
    ranked = sorted(entries.items(), key=lambda kv: -kv[1][2])[:12]
    for (filename, line, function), (_cc, nc, tt, _ct, _callers) in ranked:
        where = filename.split("site-packages/")[-1].split(str(_setup.ROOT) + "/")[-1]
        print(f"    {tt:6.2f} s {nc:8,}  {function} ({where}:{line})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000, help="notifications a run")
    parser.add_argument("--workers", default="1,2,4", help="worker counts (default 1,2,4)")
    parser.add_argument("--batch", type=int, default=50, help="manage.py deliver --batch")
    parser.add_argument("--idle-sleep", type=float, default=0.1, help="… --idle-sleep")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a run may take")
    parser.add_argument(
        "--in-process", type=int, default=1000, help="messages for the in-process timings (0: no)"
    )
    parser.add_argument("--profile", type=int, default=500, help="messages to profile (0: no)")
    args = parser.parse_args()
    sink = sink_start(SMTP_PORT)  # forked before any database connection exists
    try:
        _setup.require_migrated()
        print(f"database: {_setup.database_label()}; {busy()}")
        print(
            f"SMTP sink: aiosmtpd on 127.0.0.1:{SMTP_PORT}; workers: manage.py deliver --batch"
            f" {args.batch} --idle-sleep {args.idle_sleep}, DEBUG=0,"
            f" DB_CONN_MAX_AGE={os.environ.get('DB_CONN_MAX_AGE') or '0'}"
        )
        _user, workspace, contacts = bench_workspace()
        rendered = messages(contacts)
        runs = []
        with tempfile.TemporaryDirectory(prefix="rapport-deliver-") as tmp:
            for n in (int(w) for w in args.workers.split(",")):
                result = run(n, args, sink, workspace, contacts, rendered, Path(tmp))
                runs.append(result)
                took = f"{result.seconds:.2f} s" if result.seconds else "TIMEOUT"
                span = f"{result.span:.2f} s" if result.span else "-"
                print(
                    f"  {n} worker(s): {result.count:,} sent in {took} -> {result.rate:.0f} msg/s"
                    f"  (first claim to last send {span}; SMTP received {result.smtp:,},"
                    f" repeated keys {result.duplicates}, not sent {result.failed},"
                    f" per worker {result.spread})"
                )
                print(
                    f"      CPU: workers {result.worker_cpu:.2f} s"
                    f" ({1000 * result.worker_cpu / result.count:.2f} ms a message),"
                    f" SMTP sink {result.sink_cpu:.2f} s; {busy()}"
                )
        print(f"\n== notifications per second, {args.count:,} a run ({_setup.database_label()})")
        for result in runs:
            ms = 1000 * result.worker_cpu / result.count
            print(
                f"  {result.workers} worker(s): {result.rate:7.1f} msg/s; workers' CPU {ms:.2f} ms"
                f" a message, so at most {1000 / ms:.0f} msg/s per worker with a CPU to itself"
            )
        two = next((r for r in runs if r.workers == 2), None)
        if two is not None:
            verdict = "met" if two.rate >= 200 else "MISSED"
            print(f"  target >= 200 msg/s with 2 workers: {verdict} ({two.rate:.0f} msg/s)")
        if args.in_process:
            sections(args, workspace, contacts, rendered)
        if args.profile:
            profile(args, workspace, contacts, rendered)
        outbox_empty(workspace)
        print(f"\n{busy()}")
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
