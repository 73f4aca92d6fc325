"""Reads of requests: the inbox, one request, and response-time metrics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from rapport.accounts.models import Workspace
from rapport.clients.models import Client, Contact
from rapport.conversations.models import InboundEmail, Request, Tone
from rapport.conversations.quoting import quote_split
from rapport.core.percentiles import Percentile, in_database, percentile
from rapport.notifications.models import Notification


def request_inbox(
    *, workspace: Workspace, state: str = Request.State.OPEN, client: Client | None = None
) -> QuerySet[Request]:
    """Open requests the client marked urgent first, then by the time they must be answered
    (the most pressing first); closed ones, the latest closed first.

    Each row says whether an email reply on it read unhappy or hostile (``reply_unhappy``,
    ``reply_hostile``), for the tone badge: two EXISTS in the same query, no query per row."""
    order = ["-urgent", "eta", "id"] if state == Request.State.OPEN else ["-resolved_at", "-id"]
    rows = Request.objects.for_workspace(workspace)
    if client is not None:
        rows = rows.filter(client=client)
    replies = InboundEmail.objects.filter(request=OuterRef("pk"))
    return (
        rows.filter(state=state)
        .select_related("client", "contact", "project")
        .annotate(
            reply_hostile=Exists(replies.filter(tone=Tone.HOSTILE)),
            reply_unhappy=Exists(replies.filter(tone=Tone.UNHAPPY)),
        )
        .order_by(*order)
    )


CLIENT_PAGE_REQUESTS = 10


def client_requests(*, client: Client) -> list[Request]:
    """The client's requests for the client page: the open ones first (what the client is
    waiting for, P14), then the latest answered or declined ones; newest first in each."""
    still_open = Case(When(state=Request.State.OPEN, then=Value(0)), default=Value(1))
    rows = Request.objects.filter(client=client).order_by(still_open, "-received_at")
    return list(rows[:CLIENT_PAGE_REQUESTS])


def request_get(*, workspace: Workspace, pk: int) -> Request | None:
    return (
        Request.objects.for_workspace(workspace)
        .select_related("client__workspace", "contact", "project", "resolved_by")
        .filter(pk=pk)
        .first()
    )


def request_answer_contact(*, request: Request) -> Contact | None:
    """Who an answer to ``request`` goes to: the contact who wrote last (P14), i.e. the sender
    of the request's latest email when that address is a contact of the request's client,
    else the request's own contact. A colleague who took the thread over is answered, not the
    person who first asked (two queries at most)."""
    latest = (
        InboundEmail.objects.filter(request=request)
        .order_by("-received_at", "-id")
        .values_list("sender", flat=True)
        .first()
    )
    if latest and not (request.contact is not None and request.contact.email.lower() == latest):
        writer = (
            Contact.objects.filter(
                client_id=request.client_id, email__iexact=latest, archived_at__isnull=True
            )
            .select_related("client__workspace")
            .order_by("id")
            .first()
        )
        if writer is not None:
            return writer
    return request.contact


def unmatched_emails(*, workspace: Workspace) -> QuerySet[InboundEmail]:
    """Mail of this workspace (its inbound address, its mailbox) that matched no client and
    that no one has assigned or discarded yet, newest first."""
    return InboundEmail.objects.filter(
        workspace=workspace, request__isnull=True, handled_at__isnull=True
    ).order_by("-received_at", "-id")


DISCARDED_SHOWN = 20


def unmatched_discarded(*, workspace: Workspace) -> list[InboundEmail]:
    """The latest discarded emails, with who set them aside (kept, never deleted)."""
    return list(
        InboundEmail.objects.filter(workspace=workspace, discarded_at__isnull=False)
        .select_related("handled_by")
        .order_by("-discarded_at", "-id")[:DISCARDED_SHOWN]
    )


@dataclass(frozen=True)
class ThreadItem:
    """One message of a request's conversation: the client's email or the provider's answer."""

    at: datetime
    inbound: bool
    author: str
    subject: str
    text: str
    html: str = ""
    state: str = ""
    # The earlier messages an email reply quotes, folded away on the page.
    quoted: str = ""
    # How the client's words read (``ToneFields``): the badge and its cues.
    tone: str = ""
    tone_cues: list[dict[str, object]] = field(default_factory=list)


THREAD_KINDS = ("request_reply", "request_done", "request_declined")


def request_thread(*, request: Request) -> list[ThreadItem]:
    """The client's email replies and the answers sent, in order (two queries). The email that
    opened the request is its body, not a reply."""
    emails = InboundEmail.objects.filter(request=request)
    if request.message_id:
        emails = emails.exclude(message_id=request.message_id)
    items = []
    for e in emails.order_by("received_at", "id")[:200]:
        text, quoted = quote_split(e.text)
        items.append(
            ThreadItem(
                at=e.received_at,
                inbound=True,
                author=e.sender_name or e.sender,
                subject=e.subject,
                text=text,
                html="" if e.text else e.html_sanitised,
                quoted=quoted,
                tone=e.tone,
                tone_cues=e.tone_cues,
            )
        )
    sent = Notification.objects.filter(
        subject_type="request", subject_id=request.pk, kind__in=THREAD_KINDS
    ).order_by("created_at", "id")[:200]
    items += [
        ThreadItem(
            at=n.created_at,
            inbound=False,
            author=n.recipient_name,
            subject=n.subject,
            text=n.body,
            state=n.get_state_display(),
        )
        for n in sent
    ]
    return sorted(items, key=lambda item: item.at)


@dataclass(frozen=True)
class ResponseMetrics:
    count: int
    answered: int
    within_target: int
    median_first_response: timedelta | None
    median_resolution: timedelta | None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.answered if self.answered else None


def _median(values: list[timedelta]) -> timedelta | None:
    return percentile(values, 0.5)


def response_metrics(
    *, workspace: Workspace, since: datetime, client: Client | None = None
) -> ResponseMetrics:
    """Time to first response, time to resolution and share answered within target."""
    rows = Request.objects.for_workspace(workspace).filter(received_at__gte=since)
    if client is not None:
        rows = rows.filter(client=client)
    data = list(rows.values_list("received_at", "first_response_at", "resolved_at", "eta"))
    first = [f - r for r, f, _res, _eta in data if f is not None]
    resolution = [res - r for r, _f, res, _eta in data if res is not None]
    within = sum(1 for _r, f, _res, eta in data if f is not None and f <= eta)
    return ResponseMetrics(
        count=len(data),
        answered=len(first),
        within_target=within,
        median_first_response=_median(first),
        median_resolution=_median(resolution),
    )


@dataclass(frozen=True)
class MonthResponses:
    """The requests received in one month and answered since (P14): how many, how many before
    their answer-by time, and the median and 90th percentile of the wait for a first answer."""

    answered: int
    within_target: int
    median: timedelta | None
    p90: timedelta | None

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.answered if self.answered else None


def response_times_by_month(
    *, workspace: Workspace, since: datetime, zone: ZoneInfo
) -> dict[date, MonthResponses]:
    """The answered requests received from ``since``, by the month (first day, in ``zone``)
    they were received in; months without one are left out. One query: on PostgreSQL it
    returns a row a month (``percentile_cont``), elsewhere the waits, grouped here."""
    rows = (
        Request.objects.for_workspace(workspace)
        .filter(received_at__gte=since, first_response_at__isnull=False)
        .annotate(month=TruncMonth("received_at", tzinfo=zone))
    )
    if in_database(rows.db):
        wait = ExpressionWrapper(
            F("first_response_at") - F("received_at"), output_field=DurationField()
        )
        grouped = (
            rows.values("month")
            .annotate(
                answered=Count("pk"),
                within=Count("pk", filter=Q(first_response_at__lte=F("eta"))),
                median=Percentile(wait, 0.5),
                p90=Percentile(wait, 0.9),
            )
            .order_by()
        )
        return {
            row["month"].date(): MonthResponses(
                answered=row["answered"],
                within_target=row["within"],
                median=row["median"],
                p90=row["p90"],
            )
            for row in grouped
        }
    waits: dict[date, list[timedelta]] = defaultdict(list)
    within: dict[date, int] = defaultdict(int)
    for month, received, first, eta in rows.values_list(
        "month", "received_at", "first_response_at", "eta"
    ):
        assert first is not None  # filtered above
        waits[month.date()].append(first - received)
        within[month.date()] += first <= eta
    return {
        month: MonthResponses(
            answered=len(values),
            within_target=within[month],
            median=percentile(values, 0.5),
            p90=percentile(values, 0.9),
        )
        for month, values in waits.items()
    }
