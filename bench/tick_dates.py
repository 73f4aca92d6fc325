"""Does the morning scan of important dates cost what is due, or what is stored? (P31, ADR 0036)

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_dates \\
        .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_dates \\
        .venv/bin/python bench/tick_dates.py

Use a database of its own: the scan reads every workspace. The script owns the workspace of
dates-bench@rapport.local and empties it first (a re-run starts over). It writes there
``--clients`` clients with one contact each (Greek, Romanian and other languages, in several
time zones), then important dates (birthdays, anniversaries, calendar name days) whose moment
is ahead, appended by COPY until the table holds the first size, and ``--due`` dates whose
moment has come (the work of every measured scan). It runs ``scan_important_dates(now)``
``--repeat`` times at each size, putting the due rows back between runs (their moment to
now, the alerts deleted), and prints the median wall time, the CPU time and the queries;
then it grows the table to the next size and does it again, and prints the plan of the
scan's read at the largest size. The scan must stay flat (at most 1.5 times) and under 1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import datetime, timedelta
from typing import Any

import _setup

_setup.django_setup(production_like=True)

from _rows import rows_append  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Membership, User, Workspace  # noqa: E402
from rapport.accounts.services import user_signup  # noqa: E402
from rapport.care.namedays.scan import scan_important_dates  # noqa: E402
from rapport.clients.models import Client, Contact, ImportantDate  # noqa: E402
from rapport.notifications.models import Alert  # noqa: E402

EMAIL = "dates-bench@rapport.local"
BATCH = 100_000
ZONES = ("Europe/Athens", "Europe/Bucharest", "Asia/Jakarta", "America/New_York", "UTC")
LANGUAGES = ("el", "ro", "en", "id")
FEASTS = ("el:george", "el:nicholas", "el:dormition", "ro:john", "ro:archangels", "ro:palm")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--sizes", default="100000,1000000", help="dates stored, per step")
    parser.add_argument("--due", type=int, default=500, help="dates due in every scan (one batch)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def columns(model: type[models.Model]) -> tuple[list[str], list[Any]]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = []
    for f in fields:
        value = None if f.null else f.get_default()
        if isinstance(value, dict | list):
            value = json.dumps(value)
        defaults.append(value)
    return [str(f.column) for f in fields], defaults


def append(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """``rows`` (column -> value; the rest take the field's default) appended by COPY."""
    names, defaults = columns(model)
    adapt = connection.ops.adapt_datetimefield_value
    out = []
    for values in rows:
        row = dict(zip(names, defaults, strict=True))
        row.update(values)
        out.append(
            tuple(adapt(v) if isinstance(v, datetime) else v for v in (row[n] for n in names))
        )
    rows_append(model._meta.db_table, names, out)


def bench_workspace() -> tuple[User, Workspace]:
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        membership = user_signup(
            email=EMAIL,
            name="Dates Bench",
            password=_setup.BENCH_PASSWORD,
            workspace_name="Dates bench",
            timezone_name="UTC",
        )
        return membership.user, membership.workspace
    workspace = Membership.objects.get(user=user, role=Membership.Role.OWNER).workspace
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Alert, ImportantDate, Contact, Client):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE workspace_id = %s", [workspace.pk]
            )
    return user, workspace


def fill_people(ws: Workspace, user: User, count: int, now: datetime) -> list[int]:
    """``count`` clients, one contact each; the contacts' ids."""
    stamp = {"workspace_id": ws.pk, "created_at": now, "updated_at": now}
    for start in range(0, count, BATCH):
        with transaction.atomic():
            append(
                Client,
                [
                    {
                        **stamp,
                        "name": f"Client {i}",
                        "account_owner_id": user.pk,
                        "status": "active",
                    }
                    for i in range(start, min(count, start + BATCH))
                ],
            )
    client_ids = list(
        Client.objects.filter(workspace=ws).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, count, BATCH):
        with transaction.atomic():
            append(
                Contact,
                [
                    {
                        **stamp,
                        "client_id": cid,
                        "name": f"Person {i}",
                        "email": f"p{i}@bench.example",
                        "language": LANGUAGES[i % len(LANGUAGES)],
                        "timezone": ZONES[i % len(ZONES)],
                    }
                    for i, cid in enumerate(client_ids[start : start + BATCH], start)
                ],
            )
    return list(Contact.objects.filter(workspace=ws).order_by("pk").values_list("pk", flat=True))


def a_date(
    ws: Workspace, contact_id: int, next_at: datetime, rng: random.Random, now: datetime
) -> dict[str, Any]:
    kind = rng.choice(("birthday", "birthday", "company_anniversary", "name_day"))
    row: dict[str, Any] = {
        "workspace_id": ws.pk,
        "contact_id": contact_id,
        "kind": kind,
        "month": next_at.month,
        "day": min(next_at.day, 28),
        "year": rng.choice((None, 1970 + rng.randrange(40))),
        "next_at": next_at,
        "created_at": now,
        "updated_at": now,
    }
    if kind == "name_day":
        row.update(source="calendar", feast=rng.choice(FEASTS), year=None)
    return row


def fill_dates(
    ws: Workspace, contacts: list[int], upto: int, now: datetime, rng: random.Random
) -> None:
    """Dates whose moment is a day to a year ahead until the workspace holds ``upto``."""
    have = ImportantDate.objects.filter(workspace=ws).count()
    while have < upto:
        step = min(BATCH, upto - have)
        rows = [
            a_date(
                ws,
                rng.choice(contacts),
                now + timedelta(minutes=rng.randrange(1440, 525_600)),
                rng,
                now,
            )
            for _ in range(step)
        ]
        with transaction.atomic():
            append(ImportantDate, rows)
        have += step
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {ImportantDate._meta.db_table}")


def make_due(
    ws: Workspace, contacts: list[int], due: int, now: datetime, rng: random.Random
) -> list[int]:
    rows = [
        a_date(ws, rng.choice(contacts), now - timedelta(minutes=30), rng, now) for _ in range(due)
    ]
    with transaction.atomic():
        append(ImportantDate, rows)
    return list(
        ImportantDate.objects.filter(workspace=ws, next_at__lte=now).values_list("pk", flat=True)
    )


def reset(ws: Workspace, due_ids: list[int], now: datetime) -> None:
    ImportantDate.objects.filter(pk__in=due_ids).update(next_at=now - timedelta(minutes=30))
    Alert.objects.filter(workspace=ws).delete()


def measure(ws: Workspace, due_ids: list[int], now: datetime, repeat: int) -> dict[str, Any]:
    walls, cpus, queries, read = [], [], 0, 0
    for _ in range(repeat):
        reset(ws, due_ids, now)
        with CaptureQueriesContext(connection) as ctx:
            wall, cpu = time.perf_counter(), time.process_time()
            read = scan_important_dates(now)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        queries = len(ctx.captured_queries)
        sql = next(q["sql"] for q in ctx.captured_queries if "next_at" in q["sql"])
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:4]
    alerts = Alert.objects.filter(workspace=ws, kind="important_date").count()
    return {
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "queries": queries,
        "read": read,
        "alerts": alerts,
        "sql": sql,
        "slowest": [(float(q["time"]), q["sql"][:90]) for q in slowest],
    }


def main() -> None:
    args = parse_args()
    _setup.require_migrated()
    rng = random.Random(args.seed)
    now = timezone.now().replace(microsecond=0)
    print(_setup.database_label())
    print(_setup.machine_speed())
    user, ws = bench_workspace()
    started = time.perf_counter()
    contacts = fill_people(ws, user, args.clients, now)
    print(f"{args.clients:,} clients and contacts in {time.perf_counter() - started:.1f} s")
    sizes = [int(s) for s in args.sizes.split(",")]
    due_ids = make_due(ws, contacts, args.due, now, rng)
    results = []
    for size in sizes:
        started = time.perf_counter()
        fill_dates(ws, contacts, size, now, rng)
        print(
            f"{size:,} dates stored (filled in {time.perf_counter() - started:.1f} s); "
            f"load {_setup.load_average()}"
        )
        result = measure(ws, due_ids, now, args.repeat)
        results.append(result)
        print(
            f"  scan of {result['read']:,} due dates: {result['wall'] * 1000:.0f} ms wall, "
            f"{result['cpu'] * 1000:.0f} ms CPU, {result['queries']} queries, "
            f"{result['alerts']:,} alerts"
        )
        for seconds, text in result["slowest"]:
            print(f"    {seconds * 1000:6.0f} ms  {text}")
    ratio = results[-1]["wall"] / results[0]["wall"]
    print(f"largest / smallest: {ratio:.2f}x (must stay at most 1.5x, and each under 1 s)")
    if connection.vendor == "postgresql":
        reset(ws, due_ids, now)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {results[-1]['sql']}")
            print("plan of the scan's read:")
            for (line,) in cursor.fetchall():
                print(f"  {line}")


if __name__ == "__main__":
    main()
