"""The care rows of ``bench/tick.py``: problems at scale, and the reminders due in each tick.

The tick's reminder scan (``scan_unanswered_problems``) must cost what is due, whatever the
number of problems stored; the client-pattern check runs at the event, not in the tick, and
its one query is measured here at the largest size.

- ``seed``: one contact per bench client, and ``due`` reports still waiting for the client
  whose reminder moment passed in the last hours (each with two alternatives and its
  recipient): the reminder work of every measured tick;
- ``fill_to``: problems in every state until the table holds a size, 10,000 a transaction
  (COPY on PostgreSQL, multi-row INSERTs elsewhere): resolved, chosen, talk, reminded
  already, and waiting with their moment ahead; a third of them client-caused, spread over
  two years (the pattern check's events);
- ``reset``: the due reports back to waiting, what a tick wrote for them deleted.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from _rows import rows_append
from django.db import connection, models, transaction
from tqdm import tqdm

from rapport.accounts.models import User, Workspace
from rapport.care.models import ClientHealth, HealthPoint, Problem, ProblemAlternative
from rapport.clients.models import Client, Contact, PortalLink
from rapport.notifications.models import Notification
from rapport.projects.models import Project

BATCH = 10_000
TITLES = (
    "Texts for the home page came late",
    "Layouts in the old brand colours",
    "The host lost the staging server",
    "Photos arrived after the shoot date",
    "Wrong price list on the shop",
)
CAUSES = (Problem.Cause.CLIENT, Problem.Cause.OURS, Problem.Cause.EXTERNAL)
# Shares of the stored problems by state (the reminder scan must read none of them).
STATES = (
    (Problem.State.RESOLVED, 0.6),
    (Problem.State.CHOSEN, 0.15),
    (Problem.State.TALK, 0.05),
    (Problem.State.SENT, 0.2),
)
Recipients = Problem.recipients.through


def empty(cursor: Any, workspace_id: int) -> None:
    """Delete the care rows and what points at the bench's clients and contacts (raw, before
    the rows ``bench/tick.py`` deletes: the database's foreign keys are checked at commit)."""
    problems = f"SELECT id FROM {Problem._meta.db_table} WHERE workspace_id = %s"
    cursor.execute(
        f"DELETE FROM {Recipients._meta.db_table} WHERE problem_id IN ({problems})",
        [workspace_id],
    )
    cursor.execute(
        f"DELETE FROM {ProblemAlternative._meta.db_table} WHERE problem_id IN ({problems})",
        [workspace_id],
    )
    # The health scans of the previous run's ticks wrote a score and its history per client.
    for model in (Problem, Notification, PortalLink, ClientHealth, HealthPoint):
        cursor.execute(
            f"DELETE FROM {model._meta.db_table} WHERE workspace_id = %s", [workspace_id]
        )


def _columns(model: type[models.Model]) -> tuple[list[str], list[Any], set[int]]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = [None if f.null else f.get_default() for f in fields]
    datetimes = {i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"}
    return [str(f.column) for f in fields], defaults, datetimes


COLUMNS, DEFAULTS, DATETIMES = _columns(Problem)
INDEX = {column: i for i, column in enumerate(COLUMNS)}


def _row(**values: Any) -> tuple[Any, ...]:
    out = list(DEFAULTS)
    for column, value in values.items():
        out[INDEX[column]] = value
    adapt = connection.ops.adapt_datetimefield_value
    for i in DATETIMES:
        if out[i] is not None:
            out[i] = adapt(out[i])
    return tuple(out)


def _insert(rows: list[tuple[Any, ...]]) -> None:
    rows_append(Problem._meta.db_table, COLUMNS, rows)


def _problem(
    ws: Workspace, user: User, project: tuple[int, int], state: str, at: datetime, **more: Any
) -> tuple[Any, ...]:
    project_id, client_id = project
    return _row(
        workspace_id=ws.pk,
        client_id=client_id,
        project_id=project_id,
        reported_by_id=user.pk,
        title=more.pop("title"),
        what_happened="What happened, as the client read it.",
        cause=more.pop("cause"),
        impact_days=more.pop("impact_days", 2),
        impact_amount=Decimal(0),
        currency="EUR",
        plan="The plan.",
        state=state,
        created_at=at,
        updated_at=at,
        **more,
    )


def seed(ws: Workspace, user: User, now: datetime, due: int, rng: random.Random) -> list[int]:
    """A contact per client and ``due`` reports whose reminder is due; returns their ids."""
    clients = list(Client.objects.filter(workspace=ws).order_by("pk"))
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                workspace=ws,
                client=c,
                name=f"Contact {n}",
                email=f"contact{n}@bench.example",
                language=rng.choice(("en", "el", "ro", "id")),
            )
            for n, c in enumerate(clients)
        ],
        batch_size=2_000,
    )
    contact_of = {c.client_id: c for c in contacts}
    projects = list(Project.objects.filter(workspace=ws).values_list("pk", "client_id"))
    sent_at = now - timedelta(days=5)
    _insert(
        [
            _problem(
                ws,
                user,
                projects[n % len(projects)],
                Problem.State.SENT,
                sent_at,
                title=f"Due reminder {n}",
                cause=CAUSES[n % 3],
                remind_at=now - timedelta(minutes=n + 1),
            )
            for n in range(due)
        ]
    )
    due_ids = list(
        Problem.objects.filter(workspace=ws, title__startswith="Due reminder").values_list(
            "pk", "client_id"
        )
    )
    ProblemAlternative.objects.bulk_create(
        ProblemAlternative(
            problem_id=pk,
            position=i,
            description=f"Alternative {i + 1}",
            cost=Decimal(0),
            due_date=(now + timedelta(days=7)).date(),
        )
        for pk, _client in due_ids
        for i in range(2)
    )
    Recipients.objects.bulk_create(
        Recipients(problem_id=pk, contact_id=contact_of[client].pk) for pk, client in due_ids
    )
    return [pk for pk, _client in due_ids]


def fill_to(ws: Workspace, user: User, now: datetime, count: int, rng: random.Random) -> None:
    """Add problems in every state, created over the last two years, until ``count``."""
    have = Problem.objects.filter(workspace=ws).count()
    projects = list(Project.objects.filter(workspace=ws).values_list("pk", "client_id"))
    states = [s for s, _share in STATES]
    weights = [share for _s, share in STATES]
    todo = count - have
    started = time.perf_counter()
    with tqdm(total=todo, unit="row", unit_scale=True, desc=f"problems to {count:,}") as bar:
        while todo > 0:
            n = min(BATCH, todo)
            rows = []
            for _ in range(n):
                state = rng.choices(states, weights)[0]
                at = now - timedelta(minutes=rng.randrange(2 * 365 * 1440))
                more: dict[str, Any] = {}
                if state == Problem.State.SENT:
                    # Half reminded already, half waiting with the moment still ahead.
                    if rng.random() < 0.5:
                        more["reminded_at"] = at + timedelta(days=3)
                    else:
                        at = now - timedelta(minutes=rng.randrange(2 * 1440))
                        more["remind_at"] = at + timedelta(days=3)
                elif state == Problem.State.RESOLVED:
                    more["resolved_at"] = at + timedelta(days=7)
                rows.append(
                    _problem(
                        ws,
                        user,
                        projects[rng.randrange(len(projects))],
                        state,
                        at,
                        title=rng.choice(TITLES),
                        cause=rng.choice(CAUSES),
                        **more,
                    )
                )
            with transaction.atomic():
                _insert(rows)
            todo -= n
            bar.update(n)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does after this many inserts: the statistics, and the visibility
            # map that lets the health scan count a client's open problems from its index.
            cursor.execute(f"VACUUM (ANALYZE) {Problem._meta.db_table}")
    print(f"  {count - have:,} problems written in {time.perf_counter() - started:.1f} s")


def marks() -> dict[str, int]:
    """The highest ids of the rows a reminder writes besides alerts and timeline events."""
    out = {}
    for model in (Notification, PortalLink):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        out[model.__name__] = last or 0
    return out


def reset(ws: Workspace, due_ids: list[int], before: dict[str, int], now: datetime) -> None:
    """The due reports waiting again with their moment passed; their messages and links gone
    (the caller deletes the alerts and timeline events)."""
    with transaction.atomic():
        for model in (Notification, PortalLink):
            model.objects.filter(workspace=ws, pk__gt=before[model.__name__]).delete()
        for n, pk in enumerate(due_ids):
            Problem.objects.filter(pk=pk).update(
                state=Problem.State.SENT,
                remind_at=now - timedelta(minutes=n + 1),
                reminded_at=None,
            )


def pattern_check_cost(ws: Workspace, now: datetime) -> tuple[float, int, str]:
    """The pattern check of a client-caused report (run at the event, not in the tick) for
    the client with the most client-caused problems: seconds, queries, the plan of its read."""
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from rapport.care.patterns.detect import pattern_check

    top = (
        Problem.objects.filter(workspace=ws, cause=Problem.Cause.CLIENT)
        .values("client_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert top is not None
    client = Client.objects.get(pk=top["client_id"])
    problem = Problem.objects.filter(client=client, cause=Problem.Cause.CLIENT).first()
    assert problem is not None
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        pattern_check(client=client, problem=problem, now=now)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)  # measured, not kept
    read = next(q["sql"] for q in ctx.captured_queries if "created_at" in q["sql"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {read}")
            plan = "\n".join(r[0] for r in cursor.fetchall())
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {read}")
            plan = "\n".join(str(r[-1]) for r in cursor.fetchall())
    return seconds, len(ctx.captured_queries), plan
