"""Measure candidate fixes for the slow reads without changing the app: before and after.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench .venv/bin/python bench/what_if.py

Each candidate index is created inside a transaction that is rolled back at the end, so the
database is left as the migrations made it. A candidate queryset (a different selector) is
written here, beside the current one, and both are timed on the same data. The figures are the
evidence for the recommendations in docs/performance.md; the app is changed by its owners.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import _setup

_setup.django_setup(production_like=True)

from django.db import connection, transaction  # noqa: E402
from django.db.models import (  # noqa: E402
    Avg,
    Count,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce  # noqa: E402
from pages import timed  # noqa: E402

from rapport.accounts.models import Membership, Workspace  # noqa: E402
from rapport.clients.selectors import client_list, contact_list  # noqa: E402
from rapport.dashboard.selectors import activity_recent  # noqa: E402
from rapport.projects.models import Milestone, Project  # noqa: E402
from rapport.projects.selectors import milestone_list, project_list  # noqa: E402


def project_list_by_subqueries(*, workspace: Workspace) -> QuerySet[Project]:
    """project_list() with the progress figures as correlated subqueries instead of a
    GROUP BY over every milestone: the database computes them for the 25 rows of the page
    only, and the paginator's COUNT no longer joins the milestones."""
    open_ms = (
        Milestone.objects.filter(project=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("project")
    )

    def count(queryset: QuerySet[Milestone]) -> Coalesce:
        counted = queryset.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    average = open_ms.annotate(a=Avg("progress")).values("a")
    return (
        Project.objects.for_workspace(workspace)
        .filter(archived_at__isnull=True)
        .select_related("client")
        .annotate(
            milestone_count=count(open_ms),
            milestone_done_count=count(open_ms.filter(status=Milestone.Status.DONE)),
            progress=Coalesce(
                Subquery(average, output_field=FloatField()), 0.0, output_field=FloatField()
            ),
        )
        .order_by("-created_at", "-id")
    )


@dataclass
class Case:
    name: str
    where: str  # the app file a change would go in
    change: str
    read: Callable[[], Any]  # the current read, as the page runs it
    sql: list[str]  # DDL of the candidate (rolled back); empty for a queryset-only change
    read_after: Callable[[], Any] | None = None  # the candidate read, if it differs
    postgres_only: bool = False


def page(queryset: QuerySet[Any], size: int) -> Callable[[], Any]:
    """The two queries of a paginated list: the COUNT and one page of rows."""

    def run() -> None:
        queryset.count()
        list(queryset[:size])

    return run


def cases(ws: Workspace) -> list[Case]:
    return [
        Case(
            "contacts list (API /api/v1/contacts/)",
            "rapport/clients/models.py Contact.Meta.indexes",
            "Index(fields=['workspace', 'name', 'id'], condition=Q(archived_at__isnull=True))",
            page(contact_list(workspace=ws), 50),
            [
                "CREATE INDEX bench_contact_ws_active_name ON clients_contact "
                "(workspace_id, name, id) WHERE archived_at IS NULL"
            ],
        ),
        Case(
            "clients list (/clients/, API /api/v1/clients/)",
            "rapport/clients/models.py Client.Meta.indexes",
            "Index(fields=['workspace', 'name', 'id'], condition=Q(archived_at__isnull=True))",
            page(client_list(workspace=ws), 25),
            [
                "CREATE INDEX bench_client_ws_active_name ON clients_client "
                "(workspace_id, name, id) WHERE archived_at IS NULL"
            ],
        ),
        Case(
            "recent activity (dashboard)",
            "rapport/core/models.py TimelineEvent.Meta.indexes",
            "Index(fields=['workspace', '-created_at', '-id'])",
            lambda: list(activity_recent(workspace=ws)),
            [
                "CREATE INDEX bench_timeline_ws_recent ON core_timelineevent "
                "(workspace_id, created_at DESC, id DESC)"
            ],
        ),
        Case(
            "projects list (/projects/, API /api/v1/projects/)",
            "rapport/projects/selectors.py _with_progress / project_list",
            "progress figures as correlated subqueries (see project_list_by_subqueries)",
            page(project_list(workspace=ws), 25),
            [],
            read_after=page(project_list_by_subqueries(workspace=ws), 25),
        ),
        Case(
            "projects list, subqueries + index",
            "rapport/projects/models.py Project.Meta.indexes (with the subqueries)",
            "Index(fields=['workspace', '-created_at', '-id'], "
            "condition=Q(archived_at__isnull=True))",
            page(project_list(workspace=ws), 25),
            [
                "CREATE INDEX bench_project_ws_recent ON projects_project "
                "(workspace_id, created_at DESC, id DESC) WHERE archived_at IS NULL"
            ],
            read_after=page(project_list_by_subqueries(workspace=ws), 25),
        ),
        Case(
            "due-soon milestones, page of 50 (API ?due_within_days=3&open=true)",
            "rapport/projects/models.py Milestone.Meta.indexes milestone_open_due",
            "fields=['workspace', 'due_date', 'id'] (id added: the page's whole ORDER BY)",
            lambda: list(milestone_list(workspace=ws, due_within_days=3, open_only=True)[:50]),
            [
                "DROP INDEX milestone_open_due",
                "CREATE INDEX milestone_open_due ON projects_milestone "
                "(workspace_id, due_date, id) WHERE archived_at IS NULL AND NOT (status = 'done')",
            ],
        ),
        Case(
            "clients search ?q=harbor (name, tags, contacts)",
            "a migration (TrigramExtension) + Client/Contact GinIndex on Upper(...)",
            "pg_trgm GIN indexes on UPPER(name), UPPER(tag_index) of clients and "
            "UPPER(name), UPPER(email) of contacts",
            page(client_list(workspace=ws, query="harbor"), 25),
            [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX bench_client_name_trgm ON clients_client "
                "USING gin (UPPER(name) gin_trgm_ops)",
                "CREATE INDEX bench_client_tags_trgm ON clients_client "
                "USING gin (UPPER(tag_index) gin_trgm_ops)",
                "CREATE INDEX bench_contact_name_trgm ON clients_contact "
                "USING gin (UPPER(name) gin_trgm_ops)",
                "CREATE INDEX bench_contact_email_trgm ON clients_contact "
                "USING gin (UPPER(email) gin_trgm_ops)",
            ],
            postgres_only=True,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=30, help="timed runs per read")
    args = parser.parse_args()
    _setup.require_migrated()
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user__email=_setup.BENCH_EMAIL)
        .first()
    )
    if membership is None:
        print("Run bench/seed.py on this database first.", file=sys.stderr)
        return 1
    print(f"Database: {_setup.database_label()}; load average {_setup.load_average()}")
    print(f"\n| read | candidate change | where | before ms | after ms |  (median of {args.n})")
    print("|---|---|---|---:|---:|")
    for case in cases(membership.workspace):
        if case.postgres_only and connection.vendor != "postgresql":
            continue
        before = statistics.median(timed(case.read, args.n))
        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement in case.sql:
                    cursor.execute(statement)
            after = statistics.median(timed(case.read_after or case.read, args.n))
            transaction.set_rollback(True)  # the database stays as the migrations made it
        print(f"| {case.name} | {case.change} | {case.where} | {before:.2f} | {after:.2f} |")
    print(f"Load average after: {_setup.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
