"""Does one tick cost what is due, or what is stored? One tick at 100,000 and at 1,000,000 rows.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_tick \\
        .venv/bin/python bench/tick.py
    DEBUG=1 DATABASE_URL=sqlite:///var/tick.sqlite3 .venv/bin/python bench/tick.py

The database must be migrated, with the cache table (``manage.py migrate`` then
``manage.py createcachetable``); use a database of its own: the scanners read every workspace.
The script owns the workspace of tick-bench@rapport.local and empties it first (a re-run starts
over). It writes, in that workspace:

- 2,000 clients, one project each (weekly updates), ``--horizon`` milestones due within the
  next 90 days with their open milestone commitments (the delay-risk scan's work);
- ``--due`` open commitments already past due (promises, replies, milestones, updates): the
  work of the per-minute tick;
- open commitments due 91 days to 3 years ahead until the table holds the first size of
  not-yet-due rows, 10,000 a transaction (COPY on PostgreSQL, multi-row INSERTs on SQLite);
- ``--due-problems`` problem reports whose reminder is due, and problems in every state until
  that table holds ``--problems`` times the size (``bench/tick_care.py``).

Then it gives every milestone its risk moment (``milestone_risks_refresh``, what the data
migration's first scans and a change of the workspace's calendar do) and scans until nothing is
due, reporting both; ``--risky`` milestones then get their moment back to now (their warnings
deleted), the delay-risk work of every measured tick. It runs ``tick_run(now)`` (every job, the
delay-risk scan included) and reports wall time, the process's CPU time and the queries (per job
and per kind of statement); puts the due rows back (open again; the alerts, timeline events and
commitments the tick wrote deleted; the risky milestones' moment back to now) so that the next
tick does the same work, and ticks ``--repeat`` times (the median is compared: the machine may
be busy). Then it grows the table to the next size and does it again. At the largest size it
prints the EXPLAIN of scan_broken_commitments' query (the partial index commitment_open_due),
then measures ``delay_risks_scan(now)`` on its own with its plan (the partial index
milestone_risk_at).
Takes about 5 minutes on PostgreSQL and 4 on SQLite at the default sizes.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import _setup

_setup.django_setup(production_like=True)

import tick_care  # noqa: E402 (needs Django set up)
from _rows import rows_append  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from rapport.accounts.models import Membership, User, Workspace  # noqa: E402
from rapport.accounts.services import user_signup  # noqa: E402
from rapport.care.models import Problem  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402
from rapport.commitments.models import Commitment  # noqa: E402
from rapport.core import periodic  # noqa: E402
from rapport.core.clock import end_of_day  # noqa: E402
from rapport.core.models import TimelineEvent  # noqa: E402
from rapport.notifications.models import Alert, DigestSent  # noqa: E402
from rapport.projects import scanners  # noqa: E402
from rapport.projects.models import Milestone, Project  # noqa: E402
from rapport.projects.risk import milestone_risks_refresh  # noqa: E402

EMAIL = "tick-bench@rapport.local"
PASSWORD = _setup.BENCH_PASSWORD
CLIENTS = 2_000
BATCH = 10_000
FILLER_FROM = timedelta(days=91)  # beyond the delay-risk horizon (90 days)
FILLER_SPAN_DAYS = 3 * 365
PROMISES = (
    "Send the revised logo files",
    "Call back about the hosting renewal",
    "Deliver the print-ready brochure",
    "Answer the question about the invoice",
    "Fix the contact form on mobile",
    "Share the photos from the shoot",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100000,1000000",
        help="open not-yet-due commitments at each tick, ascending (default 100000,1000000)",
    )
    parser.add_argument("--due", type=int, default=1_000, help="rows past due (default 1000)")
    parser.add_argument(
        "--horizon",
        type=int,
        default=20_000,
        help="milestone commitments due within 90 days, part of the sizes (default 20000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="ticks per size (default 3)")
    parser.add_argument(
        "--risky",
        type=int,
        default=50,
        help="milestones whose risk moment comes in each measured tick (default 50)",
    )
    parser.add_argument(
        "--due-problems",
        type=int,
        default=50,
        help="unanswered problem reports whose reminder comes in each tick (default 50)",
    )
    parser.add_argument(
        "--problems",
        type=float,
        default=1.0,
        help="problems stored per not-yet-due commitment, in every state (default 1.0)",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.sizes != sorted(args.sizes) or args.sizes[0] < args.horizon:
        parser.error("--sizes must ascend and the first must be at least --horizon")
    return args


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


# --- set-up ------------------------------------------------------------------------------------


def bench_user(now: datetime) -> tuple[User, Workspace]:
    """The bench account, its workspace emptied. Its time zone keeps it away from 08:00, so the
    daily digest (a one-off per day) does not make one tick differ from the other."""
    tz = "UTC" if not 6 <= now.hour <= 10 else "America/Los_Angeles"
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        membership = user_signup(
            email=EMAIL,
            name="Tick Bench",
            password=PASSWORD,
            workspace_name="Tick bench",
            timezone_name=tz,
        )
        return membership.user, membership.workspace
    User.objects.filter(pk=user.pk).update(timezone=tz)
    workspace = Membership.objects.get(user=user, role=Membership.Role.OWNER).workspace
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        tick_care.empty(cursor, workspace.pk)
        for model in (Alert, TimelineEvent, Commitment, Milestone, Project, Contact, Client):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE workspace_id = %s", [workspace.pk]
            )
        cursor.execute(f"DELETE FROM {DigestSent._meta.db_table} WHERE user_id = %s", [user.pk])
    print(
        f"emptied the bench workspace of the previous run in {time.perf_counter() - started:.1f} s"
    )
    return user, workspace


def commitment_columns() -> tuple[list[str], list[Any], set[int], set[int]]:
    """The table's columns (without id), each one's default, and which hold date-times and
    which JSON (written as text: COPY takes no Python dict)."""
    fields = [f for f in Commitment._meta.concrete_fields if not f.primary_key]
    defaults = [None if f.null else f.get_default() for f in fields]
    datetimes = {i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"}
    jsons = {i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"}
    return [f.column for f in fields], defaults, datetimes, jsons


COLUMNS, DEFAULTS, DATETIMES, JSONS = commitment_columns()
INDEX = {column: i for i, column in enumerate(COLUMNS)}


def row(**values: Any) -> tuple[Any, ...]:
    out = list(DEFAULTS)
    for column, value in values.items():
        out[INDEX[column]] = value
    adapt = connection.ops.adapt_datetimefield_value
    for i in DATETIMES:
        if out[i] is not None:
            out[i] = adapt(out[i])
    for i in JSONS:
        if out[i] is not None:
            out[i] = json.dumps(out[i])
    return tuple(out)


def insert(rows: list[tuple[Any, ...]]) -> None:
    """Append rows to the commitments table: COPY on PostgreSQL, multi-row INSERT elsewhere."""
    rows_append(Commitment._meta.db_table, COLUMNS, rows)


def fill_base(
    ws: Workspace, user: User, now: datetime, args: argparse.Namespace, rng: random.Random
) -> tuple[list[int], int]:
    """Clients, projects, milestones, the horizon's and the due commitments.

    Returns the ids of the due commitments and how many horizon commitments were written."""
    today = now.date()
    clients = Client.objects.bulk_create(
        [
            Client(
                workspace=ws,
                name=f"Bench client {n}",
                status=Client.Status.ACTIVE,
                account_owner=user,
                created_at=now - timedelta(days=400),
            )
            for n in range(CLIENTS)
        ],
        batch_size=2_000,
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                workspace=ws,
                client=client,
                title=f"Website refresh {n}",
                status=Project.Status.ACTIVE,
                start_date=today - timedelta(days=rng.randint(10, 120)),
                update_cadence=Project.Cadence.WEEKLY,
                update_weekday=rng.randint(0, 4),
                created_at=now - timedelta(days=130),
            )
            for n, client in enumerate(clients)
        ],
        batch_size=2_000,
    )
    # Milestones due within the horizon: most on course, about one in eight behind.
    horizon: list[Milestone] = []
    for n in range(args.horizon):
        project = projects[n % len(projects)]
        due = today + timedelta(days=rng.randint(1, 89))
        assert project.start_date is not None
        total = max((due - project.start_date).days, 1)
        expected = round(100 * (today - project.start_date).days / total)
        behind = rng.random() < 0.125
        progress = max(
            0, min(100, expected - (rng.randint(20, 50) if behind else rng.randint(-10, 10)))
        )
        horizon.append(
            Milestone(
                workspace=ws,
                project=project,
                title=f"Milestone {n}",
                due_date=due,
                progress=progress,
                status=Milestone.Status.IN_PROGRESS if progress else Milestone.Status.PLANNED,
                estimate_hours=Decimal(rng.randint(4, 40)) if rng.random() < 0.3 else None,
                created_at=now - timedelta(days=130),
            )
        )
    horizon = Milestone.objects.bulk_create(horizon, batch_size=2_000)
    n_due_ms = args.due // 5
    overdue = Milestone.objects.bulk_create(
        [
            Milestone(
                workspace=ws,
                project=projects[n % len(projects)],
                title=f"Overdue milestone {n}",
                due_date=today - timedelta(days=1),
                progress=80,
                status=Milestone.Status.IN_PROGRESS,
                created_at=now - timedelta(days=130),
            )
            for n in range(n_due_ms)
        ],
        batch_size=2_000,
    )
    created = now - timedelta(days=30)
    base = {
        "workspace_id": ws.pk,
        "owner_id": user.pk,
        "created_at": created,
        "updated_at": created,
    }
    rows = [
        row(
            **base,
            client_id=projects[n % len(projects)].client_id,
            project_id=m.project_id,
            milestone_id=m.pk,
            kind=Commitment.Kind.MILESTONE,
            wording=m.title,
            due_at=end_of_day(m.due_date, "UTC"),
            dedupe_key=f"milestone:{m.pk}:{m.due_date.isoformat()}",
        )
        for n, m in enumerate(horizon)
    ]
    insert(rows)
    # The due rows, one a minute over the last hours: a fifth milestones, a tenth missed
    # updates (each on its own project), the rest promises and replies.
    n_updates = args.due // 10
    due_rows = []
    for n in range(args.due):
        due_at = now - timedelta(minutes=n + 1)
        if n < n_due_ms:
            m = overdue[n]
            values = {
                "client_id": projects[n % len(projects)].client_id,
                "project_id": m.project_id,
                "milestone_id": m.pk,
                "kind": Commitment.Kind.MILESTONE,
                "wording": m.title,
                "dedupe_key": f"milestone:{m.pk}:{m.due_date.isoformat()}",
            }
        elif n < n_due_ms + n_updates:
            project = projects[-(n - n_due_ms) - 1]
            values = {
                "client_id": project.client_id,
                "project_id": project.pk,
                "kind": Commitment.Kind.UPDATE,
                "wording": f"Progress update on {project.title}",
                "dedupe_key": f"update:{project.pk}:{due_at.date().isoformat()}",
            }
        else:
            values = {
                "client_id": clients[rng.randrange(len(clients))].pk,
                "kind": rng.choice((Commitment.Kind.PROMISE, Commitment.Kind.REPLY)),
                "wording": rng.choice(PROMISES),
            }
        due_rows.append(row(**base, **values, due_at=due_at))
    insert(due_rows)
    due_ids = list(
        Commitment.objects.filter(workspace=ws, due_at__lt=now).values_list("pk", flat=True)
    )
    return due_ids, len(horizon)


def fill_to(ws: Workspace, user: User, now: datetime, count: int, rng: random.Random) -> None:
    """Add open commitments due 91 days to 3 years ahead until ``count`` are not yet due."""
    have = Commitment.objects.filter(
        workspace=ws, state=Commitment.State.OPEN, due_at__gt=now
    ).count()
    client_ids = list(Client.objects.filter(workspace=ws).values_list("pk", flat=True))
    created = now - timedelta(days=30)
    kinds = (Commitment.Kind.PROMISE, Commitment.Kind.REPLY, Commitment.Kind.FIX)
    todo = count - have
    started = time.perf_counter()
    with tqdm(total=todo, unit="row", unit_scale=True, desc=f"fill to {count:,}") as bar:
        while todo > 0:
            n = min(BATCH, todo)
            rows = [
                row(
                    workspace_id=ws.pk,
                    owner_id=user.pk,
                    created_at=created,
                    updated_at=created,
                    client_id=client_ids[rng.randrange(len(client_ids))],
                    kind=rng.choice(kinds),
                    wording=rng.choice(PROMISES),
                    due_at=now
                    + FILLER_FROM
                    + timedelta(minutes=rng.randrange(FILLER_SPAN_DAYS * 1440)),
                )
                for _ in range(n)
            ]
            with transaction.atomic():
                insert(rows)
            todo -= n
            bar.update(n)
    analyse()
    print(
        f"  {count - have:,} rows written in {time.perf_counter() - started:.1f} s (then ANALYZE)"
    )


def analyse() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Commitment, Milestone, Project, Client, Alert, TimelineEvent):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        else:
            cursor.execute("ANALYZE")


# --- measuring ---------------------------------------------------------------------------------


def shape(sql: str) -> str:
    """A query with its values taken out, to group the captured queries by kind."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\(\?(, \?)*\)", "(…)", sql)
    return sql[:110]


def by_shape(captured: list[dict[str, Any]]) -> list[tuple[str, int, float]]:
    count: Counter[str] = Counter()
    seconds: defaultdict[str, float] = defaultdict(float)
    for query in captured:
        key = shape(query["sql"])
        count[key] += 1
        seconds[key] += float(query["time"] or 0)
    return sorted(((k, count[k], seconds[k]) for k in count), key=lambda t: -t[2])


def with_job_timings(per_job: dict[str, tuple[float, int]], ctx: CaptureQueriesContext) -> None:
    """Wrap each registered job to record its seconds and queries (names are kept)."""

    def wrap(job: Callable[[datetime], int]) -> Callable[[datetime], int]:
        @functools.wraps(job)
        def timed(now: datetime) -> int:
            queries = len(ctx.captured_queries)
            started = time.perf_counter()
            try:
                return job(now)
            finally:
                per_job[job.__name__] = (
                    time.perf_counter() - started,
                    len(ctx.captured_queries) - queries,
                )

        return timed

    periodic.JOBS[:] = [wrap(job) for job in periodic.JOBS]


def tick_once(now: datetime) -> dict[str, Any]:
    """One tick, every job (the delay-risk scan included: it reads only what is due)."""
    jobs = list(periodic.JOBS)
    connection.queries_log.clear()
    per_job: dict[str, tuple[float, int]] = {}
    try:
        with CaptureQueriesContext(connection) as ctx:
            with_job_timings(per_job, ctx)
            started, cpu = time.perf_counter(), time.process_time()
            results = periodic.tick_run(now)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        periodic.JOBS[:] = jobs
    return {
        "seconds": seconds,
        "cpu": cpu,
        "queries": len(ctx.captured_queries),
        "results": results,
        "per_job": per_job,
        "captured": ctx.captured_queries,
    }


def marks(ws: Workspace) -> dict[str, int]:
    """The highest ids now, so that the rows a tick adds can be told apart."""
    out = {}
    for model in (Alert, TimelineEvent, Commitment):
        out[model.__name__] = model.objects.aggregate(m=Max("pk"))["m"] or 0
    return out


def reset(
    ws: Workspace, due_ids: list[int], before: dict[str, int], risky: list[int], now: datetime
) -> None:
    """Undo a tick: the due rows open again, what the tick wrote deleted, the risky
    milestones' moment back to now."""
    with transaction.atomic():
        Milestone.objects.filter(pk__in=risky).update(risk_at=now)
        for model in (Alert, TimelineEvent, Commitment):
            model.objects.filter(workspace=ws, pk__gt=before[model.__name__]).delete()
        for start in range(0, len(due_ids), 500):
            Commitment.objects.filter(pk__in=due_ids[start : start + 500]).update(
                state=Commitment.State.OPEN, resolved_at=None, reminded_at=None
            )


def explain(sql: str, *, analyse_it: bool) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            options = "ANALYZE, BUFFERS" if analyse_it else "COSTS"
            cursor.execute(f"EXPLAIN ({options}) {sql}")
            return "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(r[-1]) for r in cursor.fetchall())


def scanner_sql(captured: list[dict[str, Any]], needle: str) -> str | None:
    table = connection.ops.quote_name(Commitment._meta.db_table)
    for query in captured:
        sql = re.sub(r"^DECLARE .*? FOR (?=SELECT)", "", query["sql"])  # a server-side cursor
        if sql.startswith("SELECT") and f"FROM {table}" in sql and needle in sql:
            return sql
    return None


def report_tick(label: str, tick: dict[str, Any]) -> None:
    print(f"\n{label}: {tick['seconds']:.3f} s, {tick['queries']:,} queries")
    print("  per job (seconds, queries, result):")
    for name, (seconds, queries) in tick["per_job"].items():
        print(f"    {name:28} {seconds:7.3f} s {queries:6,} q  -> {tick['results'].get(name)}")


def report_shapes(captured: list[dict[str, Any]], top: int = 8) -> None:
    total = sum(float(q["time"] or 0) for q in captured)
    print(f"  queries by shape (top {top} by time; {total:.3f} s in the database driver):")
    for sql, count, seconds in by_shape(captured)[:top]:
        print(f"    {count:6,} x {seconds:6.3f} s  {sql}")


def measured(job: Callable[[datetime], int], now: datetime) -> dict[str, Any]:
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        started, cpu = time.perf_counter(), time.process_time()
        result = job(now)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"result": result, "seconds": seconds, "cpu": cpu, "queries": len(ctx), "ctx": ctx}


def outcome(ws: Workspace, before: dict[str, int]) -> str:
    """What a scan wrote: rows after the marks, and commitments broken."""
    alerts = Alert.objects.filter(workspace=ws, pk__gt=before["Alert"]).count()
    events = TimelineEvent.objects.filter(workspace=ws, pk__gt=before["TimelineEvent"]).count()
    broken = Commitment.objects.filter(workspace=ws, state=Commitment.State.BROKEN).count()
    return f"{alerts:,} alerts, {events:,} timeline events, {broken:,} commitments broken"


def forecast_all(ws: Workspace, now: datetime, risky: int) -> list[int]:
    """Give every milestone its risk moment (what the data migration and a change of the
    workspace's calendar do), then scan until nothing is due: the steady state. Returns
    ``risky`` milestones at risk, their warnings deleted and their moment put back to now:
    the delay-risk work of each measured tick."""
    analyse()  # fresh rows: the planner needs their statistics, as autovacuum would give
    started = time.perf_counter()
    with transaction.atomic():
        forecast = milestone_risks_refresh(workspace=ws, now=now)
    print(f"risk moments of {forecast:,} milestones: {time.perf_counter() - started:.1f} s")
    started, ticks, raised = time.perf_counter(), 0, 0
    while Milestone.objects.filter(risk_at__lte=now).exists():
        with transaction.atomic():
            raised += scanners.delay_risks_scan(now)
        ticks += 1
    print(
        f"first scans after it: {ticks} ticks of {scanners.RISK_BATCH}, {raised:,} warnings"
        f" raised, {time.perf_counter() - started:.1f} s in all"
    )
    alerts = list(
        Alert.objects.filter(workspace=ws, kind=Alert.Kind.DEADLINE_AT_RISK)
        .order_by("id")
        .values_list("pk", "subject_id")[:risky]
    )
    ids = [m for _pk, m in alerts]
    Milestone.objects.filter(pk__in=ids).update(risk_at=now)
    Alert.objects.filter(pk__in=[pk for pk, _m in alerts]).delete()
    return ids


def reminder_scan_sql(captured: list[dict[str, Any]]) -> str | None:
    table = connection.ops.quote_name(Problem._meta.db_table)
    for query in captured:
        sql = query["sql"]
        if sql.startswith("SELECT") and f"FROM {table}" in sql and '"remind_at" <=' in sql:
            return sql
    return None


def milestone_sql(captured: list[dict[str, Any]]) -> str | None:
    table = connection.ops.quote_name(Milestone._meta.db_table)
    for query in captured:
        sql = query["sql"]
        if sql.startswith("SELECT") and f"FROM {table}" in sql and '"risk_at" <=' in sql:
            return sql
    return None


def main() -> None:
    args = parse_args()
    _setup.require_migrated()
    try:
        cache.get("scan_delay_risks")
    except DatabaseError:
        sys.exit("No cache table: run `DEBUG=1 DATABASE_URL=… manage.py createcachetable` first.")
    print(f"database: {_setup.database_label()}; {busy()}")
    rng = random.Random(args.seed)
    now = timezone.now().replace(microsecond=0)
    # Django keeps the last 9,000 queries only; a tick with 1,000 due rows runs more.
    connection.queries_log = deque(maxlen=5_000_000)
    others = Commitment.objects.exclude(workspace__memberships__user__email=EMAIL).count()
    if others:
        print(f"warning: {others:,} commitments of other workspaces; the scanners read them too")
    user, ws = bench_user(now)
    started = time.perf_counter()
    with transaction.atomic():
        due_ids, n_horizon = fill_base(ws, user, now, args, rng)
        due_problems = tick_care.seed(ws, user, now, args.due_problems, rng)
    print(
        f"base: {CLIENTS:,} clients and projects, {n_horizon:,} milestone commitments due within "
        f"90 days, {len(due_ids):,} due rows ({time.perf_counter() - started:.1f} s)"
    )
    risky = forecast_all(ws, now, args.risky)
    summary: dict[int, dict[str, float]] = {}
    captured_scan: str | None = None
    reminder_sql: str | None = None
    for size in args.sizes:
        fill_to(ws, user, now, size, rng)
        tick_care.fill_to(ws, user, now, int(size * args.problems), rng)
        total = Commitment.objects.filter(state=Commitment.State.OPEN).count()
        runs = []
        for attempt in range(args.repeat):
            before, care_before = marks(ws), tick_care.marks()
            tick = tick_once(now)
            runs.append(tick)
            if attempt == 0:
                report_tick(
                    f"tick at {size:,} open not-yet-due rows + {len(due_ids):,} due"
                    f" ({total:,} open in all)",
                    tick,
                )
                report_shapes(tick["captured"])
                idle = tick_once(now)
                print(
                    f"  the next tick, nothing due any more: {idle['seconds']:.3f} s,"
                    f" {idle['queries']} queries"
                )
                captured_scan = scanner_sql(tick["captured"], '"due_at" < ') or captured_scan
                reminder_sql = reminder_scan_sql(tick["captured"]) or reminder_sql
            else:
                print(f"  again (same work): {tick['seconds']:.3f} s, {tick['queries']:,} queries")
            reset(ws, due_ids, before, risky, now)
            tick_care.reset(ws, due_problems, care_before, now)
        print(f"  ({busy()})")
        summary[size] = {
            "seconds": statistics.median(t["seconds"] for t in runs),
            "best": min(t["seconds"] for t in runs),
            "cpu": statistics.median(t["cpu"] for t in runs),
            "queries": runs[0]["queries"],
        }
    print(
        f"\n== per-minute tick, {len(due_ids):,} due rows and {args.risky} milestones whose risk"
        f" moment came; median of {args.repeat}, best, and the bench process's CPU"
    )
    for size, fig in summary.items():
        per_row = 1000 * fig["seconds"] / max(len(due_ids), 1)
        cpu_row = 1000 * fig["cpu"] / max(len(due_ids), 1)
        print(
            f"  {size:>10,} rows: {fig['seconds']:.3f} s (best {fig['best']:.3f} s, CPU"
            f" {fig['cpu']:.3f} s), {fig['queries']:,} queries; per due row {per_row:.2f} ms"
            f" ({cpu_row:.2f} ms CPU)"
        )
    if len(summary) >= 2:
        small, large = summary[args.sizes[0]], summary[args.sizes[-1]]
        ratio = large["seconds"] / small["seconds"]
        verdict = "within 1.5x" if ratio <= 1.5 else "NOT within 1.5x"
        print(f"  ratio {args.sizes[-1]:,} / {args.sizes[0]:,}: {ratio:.2f} ({verdict})")
        last = large["seconds"]
        print(f"  under 1 s at {args.sizes[-1]:,}: {'yes' if last < 1 else 'NO'} ({last:.3f} s)")
    if captured_scan:
        print("\n== scan_broken_commitments' query (the due rows open again), and its plan")
        print(f"  SELECT … {captured_scan[captured_scan.index(' FROM ') :]}")
        print(explain(captured_scan, analyse_it=True))

    if reminder_sql:
        print("\n== scan_unanswered_problems' query (partial index problem_remind_due), its plan")
        print(explain(reminder_sql, analyse_it=connection.vendor == "postgresql"))
    problems = Problem.objects.filter(workspace=ws).count()
    seconds, queries, plan = tick_care.pattern_check_cost(ws, now)
    print(
        f"\n== the client-pattern check of one client-caused report, at {problems:,} problems:"
        f" {seconds:.4f} s, {queries} queries; its read's plan:"
    )
    print(plan)

    # The delay-risk scan at the largest size: its query and plan.
    print(f"\n== delay_risks_scan(now): {args.risky} milestones whose moment came, at {total:,}")
    risk = measured(scanners.delay_risks_scan, now)
    print(
        f"  {risk['seconds']:.3f} s (CPU {risk['cpu']:.3f} s), {risk['queries']:,} queries,"
        f" {risk['result']:,} alerts raised"
    )
    report_shapes(risk["ctx"].captured_queries, top=6)
    risk_sql = milestone_sql(risk["ctx"].captured_queries)
    if risk_sql:
        print("  its main query's plan:")
        print(explain(risk_sql, analyse_it=connection.vendor == "postgresql"))
    print(f"\n{busy()}")


if __name__ == "__main__":
    sys.exit(main())
