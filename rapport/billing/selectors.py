"""Reads for billing pages: each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from rapport.agreements.models import PaymentStage, Quote
from rapport.billing.models import Invoice, InvoiceLine, Payment, TimeEntry
from rapport.projects.models import Deliverable

if TYPE_CHECKING:
    from rapport.accounts.models import Workspace
    from rapport.clients.models import Client, Contact
    from rapport.projects.models import KickoffItem, Project

# What the client owes or paid: issued and paid invoices (drafts and cancelled ones are not).
COUNTED = (Invoice.Status.ISSUED, Invoice.Status.PAID)


# What a row of the list shows (number, client, kind, dates, amounts, status).
LIST_FIELDS = (
    "id", "number", "issue_date", "due_date", "status", "kind", "currency", "total",
    "paid_total", "client_id", "client__name",
)  # fmt: skip


def invoice_page(
    invoices: QuerySet[Invoice], page: int, per_page: int
) -> tuple[list[Invoice], bool]:
    """One page of ``invoices`` and whether another follows, without counting them all: at
    100,000 invoices a COUNT(*) costs more than the page itself."""
    start = (page - 1) * per_page
    rows = list(invoices[start : start + per_page + 1])
    return rows[:per_page], len(rows) > per_page


def invoice_list(
    *, workspace: Workspace, status: str = "", client_id: int | None = None
) -> QuerySet[Invoice]:
    """The workspace's invoices, newest first (drafts on top), with their client."""
    invoices = (
        Invoice.objects.for_workspace(workspace)
        .select_related("client")
        .only(*LIST_FIELDS)
        .order_by("-issue_date", "-number", "-id")
    )
    if status == "overdue":
        invoices = invoices.filter(status=Invoice.Status.ISSUED, due_date__lt=timezone.localdate())
    elif status:
        invoices = invoices.filter(status=status)
    if client_id:
        invoices = invoices.filter(client_id=client_id)
    return invoices


def invoice_get(*, workspace: Workspace, pk: int) -> Invoice | None:
    return (
        Invoice.objects.for_workspace(workspace)
        .select_related("client__workspace", "project", "contact", "stage__quote")
        .defer("pdf")
        .filter(pk=pk)
        .first()
    )


def invoice_contact_for(client: Client, preferred: Contact | None = None) -> Contact | None:
    """Who an invoice is addressed to: the given contact if still active, else the client's
    first active contact."""
    if preferred is not None and preferred.archived_at is None:
        return preferred
    return client.contacts.filter(archived_at__isnull=True).order_by("id").first()


def project_hourly_rate(project: Project) -> Decimal | None:
    """The project's hourly rate: the highest revision rate of its deliverables (set from the
    accepted quote's policy), or None when none is set."""
    rate = (
        Deliverable.objects.filter(milestone__project=project, revision_hourly_rate__gt=0)
        .order_by("-revision_hourly_rate")
        .values_list("revision_hourly_rate", flat=True)
        .first()
    )
    return Decimal(rate) if rate is not None else None


def invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.all())


def invoice_payments(invoice: Invoice) -> list[Payment]:
    return list(invoice.payments.select_related("method", "recorded_by"))


@dataclass
class Balance:
    currency: str
    invoiced: Decimal
    paid: Decimal
    count: int
    overdue: int

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid


def client_balance(client: Client, *, today: date | None = None) -> list[Balance]:
    """Total invoiced, paid and outstanding per currency for one client (one query)."""
    today = today or timezone.localdate()
    rows = (
        Invoice.objects.filter(client=client, status__in=COUNTED)
        .values("currency")
        .annotate(
            invoiced=Sum("total"),
            paid=Sum("paid_total"),
            count=Count("id"),
            overdue=Count("id", filter=Q(status=Invoice.Status.ISSUED, due_date__lt=today)),
        )
        .order_by("currency")
    )
    return [
        Balance(
            currency=r["currency"],
            invoiced=Decimal(r["invoiced"] or 0),
            paid=Decimal(r["paid"] or 0),
            count=r["count"],
            overdue=r["overdue"],
        )
        for r in rows
    ]


@dataclass
class ProjectBilling:
    invoices: Sequence[Invoice]
    entries: Sequence[TimeEntry]
    unbilled_hours: Decimal
    goodwill_hours: Decimal
    kickoff: list[KickoffItem] = field(default_factory=list)


ENTRIES_SHOWN = 15
INVOICES_SHOWN = 20


def _unbilled(billing: str) -> Subquery:
    return Subquery(
        TimeEntry.objects.filter(
            project=OuterRef("project"), invoice_line__isnull=True, billing=billing
        )
        .values("project")
        .annotate(hours=Sum("hours"))
        .values("hours")[:1]
    )


def project_billing(project: Project) -> ProjectBilling:
    """The project page's billing panel in three queries: the latest invoices, the latest time
    entries carrying the unbilled totals, and the kickoff checklist."""
    invoices = list(
        Invoice.objects.filter(project=project)
        .defer("pdf", "notes")
        .order_by("-issue_date", "-number", "-id")[:INVOICES_SHOWN]
    )
    entries = list(
        TimeEntry.objects.filter(project=project)
        .select_related("member")
        .annotate(
            unbilled_billable=_unbilled(TimeEntry.Billing.BILLABLE),
            unbilled_goodwill=_unbilled(TimeEntry.Billing.GOODWILL),
        )
        .order_by("-worked_on", "-id")[:ENTRIES_SHOWN]
    )
    first = entries[0] if entries else None
    return ProjectBilling(
        invoices=invoices,
        entries=entries,
        unbilled_hours=Decimal(getattr(first, "unbilled_billable", None) or 0),
        goodwill_hours=Decimal(getattr(first, "unbilled_goodwill", None) or 0),
        kickoff=list(project.kickoff_items.order_by("position", "id")),
    )


def project_deposits_unpaid(*, project: Project) -> list[Invoice]:
    """The project's issued deposit invoices not paid yet: work started now is "work before
    deposit" (P09). One query, for the warning at the top of the project page."""
    return list(
        Invoice.objects.filter(
            project=project, kind=Invoice.Kind.DEPOSIT, status=Invoice.Status.ISSUED
        )
        .only("id", "number", "issue_date", "due_date", "currency", "total", "paid_total")
        .order_by("due_date", "id")
    )


def stages_not_invoiced(project: Project) -> list[PaymentStage]:
    """Stages of the project's accepted quotes with no invoice yet (to draft one)."""
    return list(
        PaymentStage.objects.filter(
            quote__project=project, quote__status=Quote.Status.ACCEPTED, invoice__isnull=True
        )
        .select_related("quote")
        .order_by("quote_id", "position", "id")
    )


def projects_working_before_deposit(project_ids: list[int]) -> set[int]:
    """Of these projects, those with an issued, unpaid deposit invoice (one query, P09)."""
    if not project_ids:
        return set()
    return set(
        Invoice.objects.filter(
            project_id__in=project_ids, kind=Invoice.Kind.DEPOSIT, status=Invoice.Status.ISSUED
        ).values_list("project_id", flat=True)
    )


PORTAL_HOME_INVOICES = 10


def portal_open_invoices(contact: Contact) -> list[Invoice]:
    """The portal home's invoices to pay, newest first."""
    return list(
        portal_invoices(contact=contact, with_project=False).filter(status=Invoice.Status.ISSUED)[
            :PORTAL_HOME_INVOICES
        ]
    )


def portal_invoices(*, contact: Contact, with_project: bool = True) -> QuerySet[Invoice]:
    """The invoices the contact's client has received (never drafts), newest first; with
    their project unless ``with_project`` is False."""
    invoices = Invoice.objects.filter(
        client_id=contact.client_id,
        workspace_id=contact.workspace_id,
        status__in=(Invoice.Status.ISSUED, Invoice.Status.PAID, Invoice.Status.VOID),
    )
    if with_project:
        invoices = invoices.select_related("project")
    return invoices.defer("pdf", "notes").order_by("-issue_date", "-number", "-id")


@dataclass(frozen=True)
class MonthRevenue:
    """One currency's month: what was invoiced (by issue date) and what was received (by the
    date of each payment), P10."""

    invoiced: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)


def revenue_by_month(*, workspace: Workspace, since: date) -> dict[str, dict[date, MonthRevenue]]:
    """Invoiced and received per currency and month (first day) from ``since``: issued and
    paid invoices by their issue date, payments on them by the day received. Amounts of
    different currencies are never added together. Both dates are already the workspace's
    days, so months need no time zone. Months with nothing are left out. Two queries, a row
    per currency and month each."""
    invoiced = (
        Invoice.objects.for_workspace(workspace)
        .filter(status__in=COUNTED, issue_date__gte=since)
        .annotate(month=TruncMonth("issue_date"))
        .values("currency", "month")
        .annotate(amount=Sum("total"))
        .order_by()
    )
    paid = (
        Payment.objects.for_workspace(workspace)
        .filter(invoice__status__in=COUNTED, received_on__gte=since)
        .annotate(month=TruncMonth("received_on"), currency=F("invoice__currency"))
        .values("currency", "month")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    found: dict[str, dict[date, MonthRevenue]] = {}
    for row in invoiced:
        months = found.setdefault(row["currency"], {})
        month = months.get(row["month"], MonthRevenue())
        months[row["month"]] = MonthRevenue(invoiced=Decimal(row["amount"]), paid=month.paid)
    for row in paid:
        months = found.setdefault(row["currency"], {})
        month = months.get(row["month"], MonthRevenue())
        months[row["month"]] = MonthRevenue(invoiced=month.invoiced, paid=Decimal(row["amount"]))
    return found
