"""Reads for billing pages: each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from rapport.billing.models import Invoice, InvoiceLine, Payment, TimeEntry

if TYPE_CHECKING:
    from rapport.accounts.models import Workspace
    from rapport.agreements.models import PaymentStage
    from rapport.clients.models import Client, Contact
    from rapport.projects.models import KickoffItem, Project

# What the client owes or paid: issued and paid invoices (drafts and cancelled ones are not).
COUNTED = (Invoice.Status.ISSUED, Invoice.Status.PAID)


def invoice_list(
    *, workspace: Workspace, status: str = "", client_id: int | None = None
) -> QuerySet[Invoice]:
    """The workspace's invoices, newest first (drafts on top), with their client."""
    invoices = (
        Invoice.objects.for_workspace(workspace)
        .select_related("client")
        .defer("pdf", "notes")
        .order_by("-issue_date", "-number", "-id")
    )
    if status == "overdue":
        from django.utils import timezone

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


def client_balance(client: Client, *, today: object = None) -> list[Balance]:
    """Total invoiced, paid and outstanding per currency for one client (one query)."""
    from django.utils import timezone

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
    invoices: list[Invoice]
    entries: list[TimeEntry]
    unbilled_hours: Decimal
    goodwill_hours: Decimal
    kickoff: list[KickoffItem] = field(default_factory=list)
    stages: list[PaymentStage] = field(default_factory=list)


ENTRIES_SHOWN = 15
INVOICES_SHOWN = 20


def project_billing(project: Project) -> ProjectBilling:
    """The project page's billing side: invoices, time entries with the unbilled total, the
    kickoff checklist and the stages not invoiced yet (five queries)."""
    from rapport.agreements.models import PaymentStage, Quote
    from rapport.projects.models import KickoffItem

    invoices = list(
        Invoice.objects.filter(project=project)
        .defer("pdf", "notes")
        .order_by("-issue_date", "-number", "-id")[:INVOICES_SHOWN]
    )
    entries = list(
        TimeEntry.objects.filter(project=project)
        .select_related("member")
        .order_by("-worked_on", "-id")[:ENTRIES_SHOWN]
    )
    sums = TimeEntry.objects.filter(project=project, invoice_line__isnull=True).aggregate(
        billable=Sum("hours", filter=Q(billing=TimeEntry.Billing.BILLABLE)),
        goodwill=Sum("hours", filter=Q(billing=TimeEntry.Billing.GOODWILL)),
    )
    kickoff = list(KickoffItem.objects.filter(project=project).order_by("position", "id"))
    stages = list(
        PaymentStage.objects.filter(
            quote__project=project, quote__status=Quote.Status.ACCEPTED, invoice__isnull=True
        )
        .select_related("quote")
        .order_by("quote_id", "position", "id")
    )
    return ProjectBilling(
        invoices=invoices,
        entries=entries,
        unbilled_hours=Decimal(sums["billable"] or 0),
        goodwill_hours=Decimal(sums["goodwill"] or 0),
        kickoff=kickoff,
        stages=stages,
    )


def project_deposit_unpaid(project: Project) -> list[Invoice]:
    """The project's deposit invoices issued and not paid: "work before deposit" (P09)."""
    return list(
        Invoice.objects.filter(
            project=project, kind=Invoice.Kind.DEPOSIT, status=Invoice.Status.ISSUED
        ).only("id", "number", "issue_date", "due_date", "total", "paid_total", "currency")
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


def portal_invoices(*, contact: Contact) -> QuerySet[Invoice]:
    """The invoices the contact's client has received (never drafts), newest first."""
    return (
        Invoice.objects.filter(
            client_id=contact.client_id,
            workspace_id=contact.client.workspace_id,
            status__in=(Invoice.Status.ISSUED, Invoice.Status.PAID, Invoice.Status.VOID),
        )
        .select_related("project")
        .defer("pdf", "notes")
        .order_by("-issue_date", "-number", "-id")
    )
