"""Reads of relationship health (P37, P34).

``health_figures`` reads what the score needs for MANY clients at once: one grouped aggregate
per source (the ledger, requests, replies, invoices, projects, problems, the pulse, the
outbox), so its cost is a fixed number of queries whatever the number of clients. The other
readers serve the pages: the client's card, the at-risk list and the reports' distribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber

from rapport.billing.models import Invoice
from rapport.care.health import score as rules
from rapport.care.models import ClientHealth, HealthPoint, Problem, PulseAnswer, SurveyAnswer
from rapport.care.pulse.rules import WINDOW
from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.commitments.selectors import STATES_COUNTED
from rapport.conversations.models import InboundEmail, Request
from rapport.notifications.models import Notification
from rapport.projects.models import Project

# The pulse answers a score reads per client: the two windows the trend compares.
PULSE_READ = 2 * WINDOW
# States of a project whose budget is still at stake.
RUNNING = (Project.Status.ACTIVE, Project.Status.ON_HOLD)
BROKEN_STATES = ("broken", "moved", "cancelled")


@dataclass
class ClientFacts:
    """One client's figures for the score, plus what the at-risk list needs of it."""

    client_id: int
    workspace_id: int
    owner_id: int | None
    scored: bool
    """Only active, unarchived clients are scored."""
    figures: rules.Figures
    stake: Decimal = Decimal(0)
    targets: dict[str, int] = field(default_factory=dict)
    """What each step's link opens: the oldest overdue invoice, open problem and unanswered
    request, and the latest running project."""


def _by_client(rows: QuerySet, key: str = "client_id") -> dict[int, dict]:  # type: ignore[type-arg]
    return {row[key]: row for row in rows}


def _later(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def health_figures(*, client_ids: Sequence[int], now: datetime) -> dict[int, ClientFacts]:
    """The figures of each client in ``client_ids`` at ``now``, in 10 queries whatever their
    number (callers pass a batch)."""
    ids = list(client_ids)
    if not ids:
        return {}
    since = now - timedelta(days=rules.WINDOW_DAYS)
    # Invoices fall overdue by the server's date, as the billing pages say it (UTC).
    today: date = now.astimezone(UTC).date()
    clients = list(
        Client.objects.filter(pk__in=ids).values(
            "pk", "workspace_id", "account_owner_id", "status", "archived_at"
        )
    )
    owed = ~Q(kind__in=Commitment.NOT_OWED_KINDS) & Q(
        state__in=STATES_COUNTED, resolved_at__gte=since
    )
    ledger = _by_client(
        Commitment.objects.filter(owed, client_id__in=ids)
        .order_by()
        .values("client_id")
        .annotate(
            kept=Count("pk", filter=Q(state="kept")),
            broken=Count("pk", filter=Q(state__in=BROKEN_STATES)),
        )
    )
    unanswered = Q(state=Request.State.OPEN, first_response_at__isnull=True)
    recent = Q(received_at__gte=since)
    requests = _by_client(
        Request.objects.filter(client_id__in=ids)
        .order_by()
        .values("client_id")
        .annotate(
            on_time=Count("pk", filter=recent & Q(first_response_at__lte=F("eta"))),
            late=Count(
                "pk",
                filter=recent
                & (Q(first_response_at__gt=F("eta")) | (unanswered & Q(eta__lte=now))),
            ),
            next_eta=Min("eta", filter=unanswered & Q(eta__gt=now)),
            open_request=Min("pk", filter=unanswered),
            last_in=Max("received_at"),
        )
    )
    replies = _by_client(
        InboundEmail.objects.filter(request__client_id__in=ids)
        .order_by()
        .values("request__client_id")
        .annotate(last_in=Max("received_at")),
        key="request__client_id",
    )
    issued = Q(status=Invoice.Status.ISSUED)
    overdue = issued & Q(due_date__lt=today)
    invoices = _by_client(
        Invoice.objects.filter(client_id__in=ids)
        .order_by()
        .values("client_id")
        .annotate(
            overdue=Count("pk", filter=overdue),
            first_overdue=Min("pk", filter=overdue),
            owed=Sum(
                ExpressionWrapper(
                    F("total") - F("paid_total"),
                    output_field=DecimalField(max_digits=18, decimal_places=4),
                ),
                filter=issued,
            ),
            next_due=Min("due_date", filter=issued & Q(due_date__gte=today)),
        )
    )
    projects = _by_client(
        Project.objects.filter(client_id__in=ids, archived_at__isnull=True, status__in=RUNNING)
        .order_by()
        .values("client_id")
        .annotate(budget=Sum("budget"), latest=Max("pk"))
    )
    problems = _by_client(
        Problem.objects.filter(client_id__in=ids)
        .exclude(state=Problem.State.RESOLVED)
        .order_by()
        .values("client_id")
        .annotate(count=Count("pk"), first=Min("pk"))
    )
    pulse: dict[int, list[tuple[int, datetime]]] = {}
    ranked = (
        PulseAnswer.objects.filter(client_id__in=ids)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("client_id")], order_by=[F("answered_at").desc()]
            )
        )
        .filter(rank__lte=PULSE_READ)
        .values_list("client_id", "score", "answered_at", "rank")
    )
    for client_id, value, answered_at, _rank in sorted(ranked, key=lambda r: (r[0], -r[3])):
        pulse.setdefault(client_id, []).append((value, answered_at))
    # The last survey answer of the year (P34): how likely they are to recommend us, 0-10.
    surveys = dict(
        SurveyAnswer.objects.filter(
            client_id__in=ids, answered_at__gte=now - timedelta(days=rules.SURVEY_DAYS)
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("client_id")],
                order_by=[F("answered_at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("client_id", "nps")
    )
    sent = _by_client(
        Notification.objects.filter(client_id__in=ids, contact__isnull=False)
        .exclude(state__in=(Notification.State.CANCELLED, Notification.State.FAILED))
        .order_by()
        .values("client_id")
        .annotate(last_out=Max("created_at"))
    )
    facts: dict[int, ClientFacts] = {}
    for client in clients:
        pk = client["pk"]
        req = requests.get(pk, {})
        inv = invoices.get(pk, {})
        answers = pulse.get(pk, [])
        targets = {
            "invoice": inv.get("first_overdue"),
            "problem": problems.get(pk, {}).get("first"),
            "request": req.get("open_request"),
            "project": projects.get(pk, {}).get("latest"),
        }
        facts[pk] = ClientFacts(
            client_id=pk,
            workspace_id=client["workspace_id"],
            owner_id=client["account_owner_id"],
            scored=client["status"] == Client.Status.ACTIVE and client["archived_at"] is None,
            figures=rules.Figures(
                kept=ledger.get(pk, {}).get("kept", 0),
                broken=ledger.get(pk, {}).get("broken", 0),
                on_time=req.get("on_time", 0),
                late=req.get("late", 0),
                pulse=[value for value, _at in answers],
                survey=surveys.get(pk),
                overdue_invoices=inv.get("overdue", 0),
                open_problems=problems.get(pk, {}).get("count", 0),
                last_contact=_later(
                    req.get("last_in"),
                    replies.get(pk, {}).get("last_in"),
                    answers[-1][1] if answers else None,
                    sent.get(pk, {}).get("last_out"),
                ),
                next_invoice_due=inv.get("next_due"),
                next_request_eta=req.get("next_eta"),
            ),
            stake=(projects.get(pk, {}).get("budget") or Decimal(0)) + (inv.get("owed") or 0),
            targets={key: value for key, value in targets.items() if value is not None},
        )
    return facts


def week_ago_scores(*, client_ids: Sequence[int], day: date) -> dict[int, int]:
    """Each client's score on the latest day of its history at least a week before ``day``
    (within the week before that), one query."""
    rows = (
        HealthPoint.objects.filter(
            client_id__in=list(client_ids),
            day__lte=day - timedelta(days=7),
            day__gt=day - timedelta(days=14),
        )
        .order_by("client_id", "day")
        .values_list("client_id", "score")
    )
    return dict(rows)  # later days overwrite earlier ones


def client_health(*, workspace_id: int, client_id: int) -> tuple[ClientHealth | None, list]:  # type: ignore[type-arg]
    """The client's current health and its history (oldest first, the last 90 days), two
    queries."""
    health = ClientHealth.objects.filter(workspace_id=workspace_id, client_id=client_id).first()
    points = list(
        HealthPoint.objects.filter(workspace_id=workspace_id, client_id=client_id)
        .order_by("-day")
        .values_list("day", "score")[: rules.WINDOW_DAYS]
    )
    return health, points[::-1]


def at_risk_list(*, workspace_id: int) -> QuerySet[ClientHealth]:
    """The workspace's active clients at risk or falling fast, most at stake first, then the
    biggest drop, then the lowest score; each with its client and account owner."""
    return (
        ClientHealth.objects.filter(
            workspace_id=workspace_id,
            client__archived_at__isnull=True,
            client__status=Client.Status.ACTIVE,
            score__isnull=False,
        )
        .filter(Q(band=rules.AT_RISK) | Q(drop__gte=rules.FAST_DROP))
        .select_related("client", "client__account_owner")
        .order_by("-stake", "-drop", "score", "client_id")
    )


def health_distribution(*, workspace_id: int) -> list[int]:
    """The number of active clients with a current score in each band of 10 (index 0: 0-9 …
    index 9: 90-100), one query."""
    counts = [0] * 10
    rows = (
        ClientHealth.objects.filter(
            workspace_id=workspace_id,
            score__isnull=False,
            client__archived_at__isnull=True,
            client__status=Client.Status.ACTIVE,
        )
        .order_by()
        .values("score")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[min(9, (row["score"] or 0) // 10)] += row["n"]
    return counts
