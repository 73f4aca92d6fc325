"""The reports page at 100,000 and 1,000,000 rows of its largest tables (requests and
commitments), on PostgreSQL: the time of each section's queries and their plans.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_reports \\
        .venv/bin/python bench/reports.py

The database must be migrated (``manage.py migrate``); use one of its own. The script owns the
workspace of reports-bench@rapport.local and empties it first (a re-run starts over). It
writes 500 clients with a project each, 20,000 invoices in two currencies with a payment each,
then requests (answered, over the last two years) and commitments (ended in every counted
state, over the last two years) until each table holds the first size, 10,000 a transaction
(COPY on PostgreSQL). It then builds every section of the page for 12 and 24 months
(``report_sections``, what the view runs) ``--repeat`` times and reports the median wall time
and the queries, per section; grows the tables to the next size and measures again. At the
largest size it prints the EXPLAIN ANALYZE of the two largest sections' queries.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import _setup

_setup.django_setup()
_setup.require_migrated()

from _rows import rows_append  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from rapport.accounts.models import User, Workspace  # noqa: E402
from rapport.accounts.services import user_signup  # noqa: E402
from rapport.billing.models import Invoice, Payment  # noqa: E402
from rapport.care.reports import sections  # noqa: E402
from rapport.care.reports.selectors import report_period  # noqa: E402
from rapport.clients.models import Client  # noqa: E402
from rapport.commitments.models import Commitment  # noqa: E402
from rapport.conversations.models import Request  # noqa: E402
from rapport.projects.models import Project  # noqa: E402

EMAIL = "reports-bench@rapport.local"
BATCH = 10_000
CLIENTS = 500
INVOICES = 20_000
ENDED = (
    (Commitment.State.KEPT, 0.7),
    (Commitment.State.BROKEN, 0.1),
    (Commitment.State.MOVED, 0.05),
    (Commitment.State.RENEGOTIATED, 0.1),
    (Commitment.State.CANCEL_AGREED, 0.05),
)


def _columns(model: type[models.Model]) -> tuple[list[str], list[Any], set[int]]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = [None if f.null else f.get_default() for f in fields]
    moments = {i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"}
    return [str(f.column) for f in fields], defaults, moments


def _append(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    columns, defaults, moments = _columns(model)
    index = {c: i for i, c in enumerate(columns)}
    adapt = connection.ops.adapt_datetimefield_value
    out = []
    for values in rows:
        row = list(defaults)
        for column, value in values.items():
            row[index[column]] = value
        for i in moments:
            if row[i] is not None:
                row[i] = adapt(row[i])
        row = [json.dumps(v) if isinstance(v, dict | list) else v for v in row]
        out.append(tuple(row))
    rows_append(model._meta.db_table, columns, out)


def workspace_fresh() -> tuple[Workspace, User, list[int]]:
    """The bench's workspace, emptied, with its clients and a project each."""
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        membership = user_signup(
            email=EMAIL,
            name="Reports bench",
            password=_setup.BENCH_PASSWORD,
            workspace_name="Reports bench",
            timezone_name="Europe/Athens",
        )
        user, ws = membership.user, membership.workspace
    else:
        ws = Workspace.objects.get(memberships__user=user)
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Payment, Invoice, Commitment, Request, Project, Client):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE workspace_id = %s", [ws.pk])
    clients = Client.objects.bulk_create(
        Client(workspace=ws, name=f"Client {n}") for n in range(CLIENTS)
    )
    return ws, user, [c.pk for c in clients]


def seed_fixed(ws: Workspace, client_ids: list[int], now: datetime, rng: random.Random) -> None:
    """A project per client (started over two years) and the invoices with their payments."""
    Project.objects.bulk_create(
        Project(
            workspace=ws,
            client_id=pk,
            title="Work",
            status=Project.Status.ACTIVE,
            start_date=(now - timedelta(days=rng.randrange(730))).date(),
        )
        for pk in client_ids
    )
    invoices = [
        {
            "workspace_id": ws.pk,
            "client_id": rng.choice(client_ids),
            "kind": Invoice.Kind.FINAL,
            "status": Invoice.Status.PAID,
            "currency": "EUR" if n % 4 else "RON",
            "language": "en",
            "issue_date": (now - timedelta(days=rng.randrange(730))).date(),
            "total": Decimal(rng.randrange(100, 5000)),
            "paid_total": Decimal(0),
            "subtotal": Decimal(0),
            "tax_total": Decimal(0),
            "created_at": now,
            "updated_at": now,
        }
        for n in range(INVOICES)
    ]
    with transaction.atomic():
        _append(Invoice, invoices)
    rows = Invoice.objects.filter(workspace=ws).values_list("pk", "issue_date", "total")
    with transaction.atomic():
        _append(
            Payment,
            [
                {
                    "workspace_id": ws.pk,
                    "invoice_id": pk,
                    "amount": total,
                    "received_on": issued + timedelta(days=rng.randrange(30)),
                    "reference": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for pk, issued, total in rows
            ],
        )


def fill_to(ws: Workspace, client_ids: list[int], now: datetime, size: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """Answered requests and ended commitments, over the last two years, up to ``size`` each."""
    states = [s for s, _w in ENDED]
    weights = [w for _s, w in ENDED]
    for model in (Request, Commitment):
        todo = size - model.objects.filter(workspace=ws).count()
        started = time.perf_counter()
        while todo > 0:
            rows = []
            for _ in range(min(BATCH, todo)):
                at = now - timedelta(minutes=rng.randrange(2 * 365 * 1440))
                client = rng.choice(client_ids)
                if model is Request:
                    rows.append(
                        {
                            "workspace_id": ws.pk,
                            "client_id": client,
                            "source": "email",
                            "subject": "Question",
                            "body": "?",
                            "urgent": False,
                            "received_at": at,
                            "eta": at + timedelta(hours=4),
                            "alert_at": at + timedelta(hours=3),
                            "state": "done",
                            "answer": "",
                            "decision_reason": "",
                            "first_response_at": at + timedelta(minutes=rng.randrange(10, 900)),
                            "reference": "",
                            "message_id": "",
                            "created_at": at,
                            "updated_at": at,
                        }
                    )
                else:
                    rows.append(
                        {
                            "workspace_id": ws.pk,
                            "client_id": client,
                            "kind": "promise",
                            "wording": "Send the drafts",
                            "due_at": at,
                            "state": rng.choices(states, weights)[0],
                            "resolved_at": at,
                            "created_at": at,
                            "updated_at": at,
                        }
                    )
                todo -= 1
            with transaction.atomic():
                _append(model, rows)
        print(f"  {model.__name__}: {size:,} rows ({time.perf_counter() - started:.0f} s to add)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(ws: Workspace, now: datetime, length: int, repeat: int) -> None:
    period = report_period(workspace=ws, length=length, now=now)
    with translation.override("en"):
        total = []
        for build in sections.SECTIONS:
            times, queries = [], 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    build(ws, period)
                    times.append(time.perf_counter() - started)
                queries = len(ctx.captured_queries)
            median = statistics.median(times)
            total.append(median)
            print(f"    {build.__name__:<18} {median * 1000:8.1f} ms  {queries} queries")
        print(f"    {'all sections':<18} {sum(total) * 1000:8.1f} ms")


def explain(ws: Workspace, now: datetime) -> None:
    from rapport.commitments.selectors import keeping_by_month
    from rapport.conversations.selectors import response_times_by_month

    period = report_period(workspace=ws, length=24, now=now)
    for read in (response_times_by_month, keeping_by_month):
        with CaptureQueriesContext(connection) as ctx:
            read(workspace=ws, since=period.since, zone=period.zone)
        sql = ctx.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n      ".join(row[0] for row in cursor.fetchall())
        print(f"\n  EXPLAIN ANALYZE {read.__name__} (24 months):\n      {plan}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Note: not PostgreSQL; medians are computed in Python here.", file=sys.stderr)
    print(_setup.database_label())
    print(_setup.machine_speed())
    print(f"load average: {_setup.load_average()}")
    rng = random.Random(39)
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    ws, _user, client_ids = workspace_fresh()
    seed_fixed(ws, client_ids, now, rng)
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        print(f"\nRequests and commitments at {size:,} rows each:")
        fill_to(ws, client_ids, now, size, rng)
        for length in (12, 24):
            print(f"  {length} months:")
            measure(ws, now, length, args.repeat)
    explain(ws, now)
    print(f"\nload average: {_setup.load_average()}")


if __name__ == "__main__":
    main()
