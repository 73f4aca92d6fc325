"""Server time and queries of each page and API list, against a database filled by seed.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench .venv/bin/python bench/pages.py
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/pages.py

Requests go through Django's test client in this process (the whole middleware stack, no
network): one request under CaptureQueriesContext counts the queries, then ``--n`` requests are
timed (median and 95th percentile, after a warm-up). Also timed: creating a milestone through
``milestone_create`` (with its timeline event, committed), and the due-soon selector
``milestone_list(due_within_days=3, open_only=True)`` for one page of 50, with its query plan.

Unless DEBUG is given, Django runs as in production (DEBUG off, a benchmark SECRET_KEY, no
HTTPS redirect); the static files manifest is built with collectstatic if missing.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import _setup

_setup.django_setup(production_like=True)

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.accounts.models import Membership  # noqa: E402
from rapport.accounts.services import api_token_create, api_token_revoke  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402
from rapport.clients.portal_links.services import portal_link_create  # noqa: E402
from rapport.core.models import TimelineEvent  # noqa: E402
from rapport.portal.selectors import VISIBLE_PROJECT_STATUSES  # noqa: E402
from rapport.projects.models import Milestone, Project  # noqa: E402
from rapport.projects.selectors import milestone_list, project_get  # noqa: E402
from rapport.projects.services import milestone_create  # noqa: E402

HOST = "127.0.0.1"
SEARCH = "harbor"  # a word in about one client name in forty, and in no contact's name


@dataclass
class Row:
    name: str
    target: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    size_kb: float = 0.0
    cpu_ms: float = 0.0  # median CPU time of this process (Python: views, templates, ORM)
    db_ms: float = 0.0  # median time spent in the database's queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed_both(
    action: Callable[[], Any], n: int, warmup: int = 3
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds (this process) of ``n`` calls, after ``warmup`` untimed ones.

    The CPU time is the Python work of the call alone: it does not count waiting for the
    database nor for a core that another process holds, so it moves little with the load.
    """
    for _ in range(warmup):
        action()
    gc.collect()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def timed(action: Callable[[], Any], n: int, warmup: int = 3) -> list[float]:
    """Wall milliseconds of ``n`` calls of ``action``, after ``warmup`` untimed ones."""
    return timed_both(action, n, warmup)[0]


class QueryTimer:
    """An execute wrapper that adds up the time spent in the database driver's execute()."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def db_ms(action: Callable[[], Any], runs: int = 10) -> float:
    """Median over ``runs`` calls of the time spent executing queries (round trips included).

    On PostgreSQL execute() returns with every row received. SQLite runs inside this process
    and computes rows as they are fetched, so part of its work shows in the CPU time instead.
    """
    totals: list[float] = []
    for _ in range(runs):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            action()
        totals.append(timer.seconds * 1000)
    return statistics.median(totals)


def measure(name: str, client: HttpClient, url: str, n: int, *, htmx: bool = False) -> Row:
    """One GET's queries, then its times; ``htmx``: asked for as htmx asks for a section."""
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    # Read now: each request clears the connection's query log (request_started).
    queries = len(captured.captured_queries)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    wall, cpu = timed_both(lambda: client.get(url, headers=headers), n)
    return Row(
        name,
        url,
        response.status_code,
        queries,
        statistics.median(wall),
        percentile(wall, 0.95),
        len(response.content) / 1024,
        cpu_ms=statistics.median(cpu),
        db_ms=db_ms(lambda: client.get(url, headers=headers)),
    )


def print_table(rows: list[Row], n: int) -> None:
    print(f"\n| what | request | queries | median ms | p95 ms | CPU ms | DB ms | KB |  (n={n})")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        size = f"{r.size_kb:.1f}" if r.size_kb else ""
        print(
            f"| {r.name} | `{r.target}` | {r.queries} | {r.median_ms:.2f} | {r.p95_ms:.2f} | "
            f"{r.cpu_ms:.2f} | {r.db_ms:.2f} | {size} |"
        )


def print_page_totals(rows: list[Row], sections: dict[str, list[Any]]) -> None:
    """Each hot page's first answer, and the page with every section it loads afterwards
    (sums of medians: the sections are asked for one after the other, as by one browser tab)."""
    found = {row.name: row for row in rows}
    print(
        "\n| hot page | first answer: queries, CPU ms "
        "| page + sections: requests, queries, CPU ms |"
    )
    print("|---|---:|---:|")
    for page, parts in sections.items():
        page_row = found.get(page)
        part_rows = [found.get(f"{page} · {name}") for name, _client, _url in parts]
        if page_row is None or None in part_rows:
            continue
        every = [page_row, *(r for r in part_rows if r is not None)]
        print(
            f"| {page} | {page_row.queries}, {page_row.cpu_ms:.2f} | {len(every)}, "
            f"{sum(r.queries for r in every)}, {sum(r.cpu_ms for r in every):.2f} |"
        )


def deep_contacts_page(membership: Membership) -> str:
    """The contacts list from its 10,001st row: the cursor of the row before it."""
    from rapport.api.pagination import encode_cursor

    before = (
        Contact.objects.for_workspace(membership.workspace)
        .filter(archived_at__isnull=True)
        .order_by("name", "id")
        .values_list("name", "id")[9_999]
    )
    return f"/api/v1/contacts/?cursor={encode_cursor('n', before)}"


def pick_fixtures(membership: Membership) -> dict[str, Any]:
    """An ordinary active client with its projects, and one of its contacts for the portal."""
    ws = membership.workspace
    client = (
        Client.objects.for_workspace(ws)
        .active()
        .filter(status=Client.Status.ACTIVE, projects__status=Project.Status.ACTIVE)
        .order_by("id")
        .first()
    )
    if client is None:
        raise SystemExit("No active client with an active project: run bench/seed.py first.")
    project = (
        Project.objects.filter(
            client=client, archived_at__isnull=True, status=Project.Status.ACTIVE
        )
        .order_by("id")
        .first()
    )
    contact = Contact.objects.filter(client=client, archived_at__isnull=True).order_by("id").first()
    portal_project = (
        Project.objects.filter(
            client=client, archived_at__isnull=True, status__in=VISIBLE_PROJECT_STATUSES
        )
        .order_by("id")
        .first()
    )
    return {
        "client": client,
        "project": project,
        "contact": contact,
        "portal_project": portal_project,
    }


def bench_milestone_create(membership: Membership, n: int) -> tuple[Row, int]:
    """``milestone_create`` as the views call it: validation, insert, the milestone's commitment,
    timeline events, commit. The rows are removed afterwards."""
    ws = membership.workspace
    candidate = (
        Project.objects.for_workspace(ws)
        .filter(
            archived_at__isnull=True,
            status=Project.Status.ACTIVE,
            client__archived_at__isnull=True,
            due_date__gte=date.today() + timedelta(days=30),
        )
        .order_by("id")
        .first()
    )
    if candidate is None:
        raise SystemExit("No active project due in 30 days or more.")
    project = project_get(workspace=ws, pk=candidate.pk)
    assert project is not None and project.due_date is not None
    created: list[int] = []

    def create() -> None:
        milestone = milestone_create(
            project=project,
            actor=membership.user,
            title=f"Bench milestone {len(created) + 1}",
            due_date=project.due_date,
        )
        created.append(milestone.pk)

    # Everything the service writes (timeline events, the milestone's commitment and its
    # events) is removed afterwards, so that runs do not drift: events by id, the commitments
    # through the milestones' cascade.
    last_event = TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    try:
        with CaptureQueriesContext(connection) as captured:
            create()
        queries = len(captured.captured_queries)
        times, cpu = timed_both(create, n)
        database = db_ms(create)
    finally:
        TimelineEvent.objects.filter(workspace=ws, id__gt=last_event).delete()
        Milestone.objects.filter(pk__in=created).delete()
    row = Row(
        "milestone_create (service)",
        "milestone_create(...)",
        0,
        queries,
        statistics.median(times),
        percentile(times, 0.95),
        cpu_ms=statistics.median(cpu),
        db_ms=database,
    )
    return row, len(created)


def bench_due_soon(membership: Membership, n: int) -> tuple[Row, str, int]:
    """The selector behind the due-soon API list, one page of 50, and its plan."""
    queryset = milestone_list(workspace=membership.workspace, due_within_days=3, open_only=True)
    page = queryset[:50]
    with CaptureQueriesContext(connection) as captured:
        found = len(list(page))
    queries = len(captured.captured_queries)
    times, cpu = timed_both(lambda: list(queryset[:50]), n)
    database = db_ms(lambda: list(queryset[:50]), runs=n)
    if connection.vendor == "postgresql":
        plan = page.explain(analyze=True, buffers=True)
    else:
        plan = page.explain()
    row = Row(
        "milestone_list(due_within_days=3, open_only=True)[:50]",
        "selector",
        0,
        queries,
        statistics.median(times),
        percentile(times, 0.95),
        cpu_ms=statistics.median(cpu),
        db_ms=database,
    )
    return row, plan, found


def static_manifest_ready() -> None:
    if settings.DEBUG:
        return
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        print("Building the static files manifest (collectstatic) for DEBUG off…")
        call_command("collectstatic", interactive=False, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=50, help="timed requests per page")
    parser.add_argument("--email", default=_setup.BENCH_EMAIL, help="the seeded account")
    args = parser.parse_args()

    _setup.require_migrated()
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user__email=args.email)
        .first()
    )
    if membership is None:
        print(f"No {args.email}: run bench/seed.py on this database first.", file=sys.stderr)
        return 1
    static_manifest_ready()
    ws = membership.workspace
    print(f"Database: {_setup.database_label()}")
    print(
        f"DEBUG={settings.DEBUG}; CPUs {os.cpu_count()}; "
        f"load average before {_setup.load_average()}"
        f"\n{_setup.machine_speed()}"
    )
    print(
        f"Workspace {ws.pk}: {Client.objects.for_workspace(ws).count():,} clients, "
        f"{Contact.objects.for_workspace(ws).count():,} contacts, "
        f"{Project.objects.for_workspace(ws).count():,} projects, "
        f"{Milestone.objects.for_workspace(ws).count():,} milestones"
    )
    fx = pick_fixtures(membership)
    n = args.n

    staff = HttpClient(HTTP_HOST=HOST)
    staff.force_login(membership.user, backend=settings.AUTHENTICATION_BACKENDS[-1])

    portal = HttpClient(HTTP_HOST=HOST)
    _link, link_token = portal_link_create(contact=fx["contact"], actor=membership.user)
    confirmed = portal.post(reverse("portal:open", args=[link_token]))
    if confirmed.status_code != 302:
        raise SystemExit(f"portal confirm answered {confirmed.status_code}")

    token, secret = api_token_create(membership=membership, name="bench pages.py")
    api = HttpClient(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {secret}")

    pages: list[tuple[str, HttpClient, str]] = [
        ("dashboard", staff, reverse("dashboard")),
        ("clients list", staff, reverse("clients:list")),
        ("clients list, search", staff, reverse("clients:list") + f"?q={SEARCH}"),
        ("client detail", staff, reverse("clients:detail", args=[fx["client"].pk])),
        ("projects list", staff, reverse("projects:list")),
        ("project detail", staff, reverse("projects:detail", args=[fx["project"].pk])),
        ("settings", staff, reverse("accounts:settings")),
        ("portal home", portal, reverse("portal:home")),
        ("portal project", portal, reverse("portal:project", args=[fx["portal_project"].pk])),
    ]
    # The sections each hot page loads after it is shown (core.sections): a reader waits for
    # the page, then for these; "page + sections" below adds them up.
    client_pk, project_pk = fx["client"].pk, fx["project"].pk
    sections: dict[str, list[tuple[str, HttpClient, str]]] = {
        "dashboard": [("activity", staff, reverse("dashboard_activity"))],
        "client detail": [
            ("quotes", staff, reverse("agreements:client_quotes", args=[client_pk])),
            ("contracts", staff, reverse("agreements:client_contracts", args=[client_pk])),
            ("balance", staff, reverse("billing:client_balance", args=[client_pk])),
            ("messages", staff, reverse("clients:messages", args=[client_pk])),
            ("timeline", staff, reverse("clients:recent_timeline", args=[client_pk])),
        ],
        "project detail": [
            ("quotes", staff, reverse("agreements:project_quotes", args=[project_pk])),
            ("contracts", staff, reverse("agreements:project_contracts", args=[project_pk])),
            ("changes", staff, reverse("agreements:project_changes", args=[project_pk])),
            ("billing", staff, reverse("billing:project_billing", args=[project_pk])),
        ],
        "portal home": [
            (name, portal, reverse(f"portal:home_{name}"))
            for name in ("briefs", "quotes", "signing", "invoices", "updates")
        ],
    }
    apis: list[tuple[str, str]] = [
        ("API clients", "/api/v1/clients/"),
        ("API contacts", "/api/v1/contacts/"),
        ("API contacts, a page 10,000 rows deep", deep_contacts_page(membership)),
        ("API projects", "/api/v1/projects/"),
        ("API milestones due ≤3 days, open", "/api/v1/milestones/?due_within_days=3&open=true"),
        ("API deliverables", "/api/v1/deliverables/"),
    ]
    api_ready = apps.is_installed("rapport.api")
    rows: list[Row] = []
    try:
        targets = [
            *pages,
            *(
                (f"{page} · {name}", client, url)
                for page, parts in sections.items()
                for name, client, url in parts
            ),
            *([(name, api, url) for name, url in apis] if api_ready else []),
        ]
        failed: list[str] = []
        for name, client, url in targets:
            try:
                rows.append(measure(name, client, url, n, htmx=" · " in name))
            except Exception as exc:  # a page broken by work in progress: report, go on
                failed.append(f"{name} ({url}): {type(exc).__name__}: {exc}")
                print(f"  {name}: FAILED", flush=True)
            else:
                print(f"  {name}: done", flush=True)
        print_table(rows, n)
        for line in failed:
            print(f"NOT MEASURED, the request failed: {line}")
        print_page_totals(rows, sections)

        if api_ready:
            # A list's queries must not grow with its page: compare a page of 5 and of 200.
            print("\nQueries per API list by page size (an N+1 would grow with the page):")
            print("| list | page_size=5 | page_size=50 | page_size=200 |")
            print("|---|---:|---:|---:|")
            for name, url in apis:
                counts = []
                for size in (5, 50, 200):
                    joiner = "&" if "?" in url else "?"
                    with CaptureQueriesContext(connection) as captured:
                        api.get(f"{url}{joiner}page_size={size}")
                    counts.append(len(captured.captured_queries))
                print(f"| {name} | {counts[0]} | {counts[1]} | {counts[2]} |")

        create_row, created = bench_milestone_create(membership, n)
        due_row, plan, found = bench_due_soon(membership, n)
        print_table([create_row, due_row], n)
        print(f"(milestone_create: {created} milestones created and removed again)")
        print(f"\nDue-soon page: {found} milestones. Query plan ({connection.vendor}):")
        print(plan)
        uses = "milestone_open_due" in plan
        print(f"\nPlan uses the partial index milestone_open_due: {'yes' if uses else 'NO'}")
    finally:
        api_token_revoke(membership=membership, token_id=token.pk)
    print(f"Load average after: {_setup.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
