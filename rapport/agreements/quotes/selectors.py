"""Reads of quotes, with their relations joined: a page runs a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from rapport.accounts.models import Workspace
from rapport.agreements.models import PaymentStage, Quote, QuoteLine, QuotePackage
from rapport.agreements.quotes.validation import DEFAULT_VALIDITY_DAYS
from rapport.clients.models import Client, Contact
from rapport.projects.models import Deliverable, Project

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class QuoteVersions(TypedDict):
    """What ``quote_get`` annotates: whether a newer version of the quote exists."""

    has_next: bool


class PortalQuoteVersions(TypedDict):
    """What ``portal_quote_get`` annotates: whether a newer version was sent to the client."""

    has_newer: bool


# What a client contact may see: everything that was sent to them (never a draft).
PORTAL_STATUSES = [
    Quote.Status.SENT,
    Quote.Status.ACCEPTED,
    Quote.Status.DECLINED,
    Quote.Status.EXPIRED,
    Quote.Status.SUPERSEDED,
]


def _with_content(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    return quotes.select_related(
        "client", "project", "contact", "previous", "chosen_package"
    ).prefetch_related(
        "lines",
        "packages",
        "deliverables",
        Prefetch("stages", queryset=PaymentStage.objects.select_related("milestone")),
    )


def quote_get(*, workspace: Workspace, pk: int) -> WithAnnotations[Quote, QuoteVersions] | None:
    """One quote of ``workspace`` with its lines, deliverables and schedule, or None."""
    quote: WithAnnotations[Quote, QuoteVersions] | None = (
        _with_content(Quote.objects.for_workspace(workspace))
        .select_related("client__workspace", "created_by")
        .annotate(has_next=Exists(Quote.objects.filter(previous_id=OuterRef("pk"))))
        .filter(pk=pk)
        .first()
    )
    return quote


def _offering(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """``offers_choice``: whether the quote offers packages (its total then reads "from")."""
    return quotes.annotate(
        offers_choice=Exists(QuotePackage.objects.filter(quote_id=OuterRef("pk")))
    )


def quote_list(*, workspace: Workspace, status: str = "") -> QuerySet[Quote]:
    """The workspace's quotes, newest series first (the list page, paginated)."""
    quotes = _offering(
        Quote.objects.for_workspace(workspace).select_related("client", "project", "contact")
    )
    if status:
        quotes = quotes.filter(status=status)
    return quotes.order_by("-series", "-version", "-id")


def quote_defaults(*, project: Project, today: date) -> dict[str, Any]:
    """What the editor starts from: the client's currency and language, the project's
    deliverables (spec and format) and out-of-scope list, a deposit and a final payment."""
    client = project.client
    contact = client.contacts.filter(archived_at__isnull=True).order_by("name", "id").first()
    deliverables = Deliverable.objects.filter(
        milestone__project=project, archived_at__isnull=True, milestone__archived_at__isnull=True
    ).order_by("milestone__due_date", "id")
    return {
        "contact": contact,
        "title": project.title,
        "summary": project.goal,
        "currency": client.currency,
        "language": client.language,
        "valid_until": today + timedelta(days=DEFAULT_VALIDITY_DAYS),
        "out_of_scope": project.out_of_scope,
        "revision_free_rounds": 2,
        "revision_hourly_rate": "",  # set by the provider (P08)
        "deliverables": [
            {"title": d.title, "spec": d.spec, "format": d.format} for d in deliverables
        ],
        "lines": [
            {
                "kind": QuoteLine.Kind.FIXED,
                "description": project.title,
                "quantity": Decimal(1),
                "unit_price": project.budget if project.budget else "",
                "tax_rate": Decimal(0),
            }
        ],
        "stages": [
            {"kind": PaymentStage.Kind.DEPOSIT, "percent": Decimal(50)},
            {"kind": PaymentStage.Kind.FINAL, "percent": Decimal(50)},
        ],
    }


PROJECT_PAGE_QUOTES = 10


def quotes_for_project(*, project: Project) -> list[Quote]:
    """The project's latest quotes, with the contact each went to (the project page)."""
    return list(
        _offering(Quote.objects.filter(workspace_id=project.workspace_id, project=project))
        .select_related("contact")
        .order_by("-series", "-version")[:PROJECT_PAGE_QUOTES]
    )


CLIENT_PAGE_QUOTES = 10


def quotes_for_client(*, client: Client) -> list[Quote]:
    """The client's latest quotes, with their project (the client page)."""
    return list(
        _offering(Quote.objects.filter(workspace_id=client.workspace_id, client=client))
        .select_related("project")
        .order_by("-series", "-version")[:CLIENT_PAGE_QUOTES]
    )


# --- Portal -----------------------------------------------------------------------------------


def portal_quotes(*, contact: Contact) -> QuerySet[Quote]:
    """Every quote a contact's client was sent (scoped to that client and its workspace)."""
    return Quote.objects.filter(
        client_id=contact.client_id,
        workspace_id=contact.workspace_id,
        status__in=PORTAL_STATUSES,
    )


PORTAL_HOME_QUOTES = 10


def portal_current_quotes(*, contact: Contact) -> list[Quote]:
    """The current version of each quote series: a newer version that was sent hides the
    older ones (a draft the client has not seen hides nothing)."""
    newer_sent = Quote.objects.filter(
        workspace_id=OuterRef("workspace_id"),
        series=OuterRef("series"),
        version__gt=OuterRef("version"),
        status__in=PORTAL_STATUSES,
    )
    return list(
        _offering(portal_quotes(contact=contact))
        .filter(~Exists(newer_sent))
        .select_related("project")
        .order_by("-series")[:PORTAL_HOME_QUOTES]
    )


def portal_quote_get(
    *, contact: Contact, pk: int
) -> WithAnnotations[Quote, PortalQuoteVersions] | None:
    """One quote the contact may see, with its content and whether a newer version exists."""
    newer_sent = Quote.objects.filter(
        workspace_id=OuterRef("workspace_id"),
        series=OuterRef("series"),
        version__gt=OuterRef("version"),
        status__in=PORTAL_STATUSES,
    )
    quote: WithAnnotations[Quote, PortalQuoteVersions] | None = (
        _with_content(portal_quotes(contact=contact))
        .annotate(has_newer=Exists(newer_sent))
        .filter(pk=pk)
        .first()
    )
    return quote


def portal_newest_version(*, contact: Contact, quote: Quote) -> Quote | None:
    """The newest version of ``quote``'s series the contact was sent."""
    newest: Quote | None = (
        portal_quotes(contact=contact).filter(series=quote.series).order_by("-version").first()
    )
    return newest
