"""Rows with known dates for the reports' tests: written straight to the tables, as a past
month would have left them, so each test knows its answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from rapport.billing.models import Invoice, Payment
from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.conversations.models import Request
from rapport.projects.models import Project


def answered_request(
    client: Client, received: datetime, waited: timedelta | None, target: timedelta
) -> Request:
    """A request received at ``received``, first answered ``waited`` later (None: not yet),
    to be answered within ``target``."""
    return Request.objects.create(
        workspace=client.workspace,
        client=client,
        source=Request.Source.EMAIL,
        subject="Question",
        body="?",
        received_at=received,
        eta=received + target,
        alert_at=received + target * 0.75,
        state=Request.State.OPEN if waited is None else Request.State.DONE,
        first_response_at=None if waited is None else received + waited,
    )


def resolved_commitment(
    client: Client, resolved: datetime, state: str, kind: str = Commitment.Kind.PROMISE
) -> Commitment:
    return Commitment.objects.create(
        workspace=client.workspace,
        client=client,
        kind=kind,
        wording="Send the drafts",
        due_at=resolved,
        state=state,
        resolved_at=resolved,
    )


def invoice(
    client: Client,
    issued: date | None,
    total: str,
    currency: str = "EUR",
    status: str = Invoice.Status.ISSUED,
) -> Invoice:
    return Invoice.objects.create(
        workspace=client.workspace,
        client=client,
        kind=Invoice.Kind.FINAL,
        status=status,
        currency=currency,
        language="en",
        issue_date=issued,
        total=Decimal(total),
    )


def payment(paid_invoice: Invoice, received: date, amount: str) -> Payment:
    return Payment.objects.create(
        workspace=paid_invoice.workspace,
        invoice=paid_invoice,
        amount=Decimal(amount),
        received_on=received,
    )


def project(
    client: Client,
    start: date | None,
    status: str = Project.Status.ACTIVE,
    created: datetime | None = None,
) -> Project:
    row = Project.objects.create(
        workspace=client.workspace, client=client, title="Work", start_date=start, status=status
    )
    if created is not None:
        Project.objects.filter(pk=row.pk).update(created_at=created)
    return row


def report_history(client: Client, *, now: datetime, months: int = 12, per_month: int = 2) -> None:
    """``per_month`` of everything the reports count in each of the last ``months`` months
    (requests answered, commitments ended, invoices in two currencies and their payments, a
    new client with its first project), with values that vary from month to month."""
    for back in range(months):
        moment = now - timedelta(days=30 * back + 1)
        for i in range(per_month):
            at = moment - timedelta(hours=i)
            answered_request(client, at, timedelta(hours=1 + (back + i) % 7), timedelta(hours=4))
            states = (Commitment.State.KEPT, Commitment.State.KEPT, Commitment.State.BROKEN)
            resolved_commitment(client, at, states[(back + i) % 3])
            euro = invoice(client, at.date(), str(400 + 50 * ((back * 3 + i) % 5)))
            payment(euro, at.date(), str(300 + 25 * (back % 4)))
            if i % 2 == 0:
                invoice(client, at.date(), str(900 + 100 * (back % 3)), currency="RON")
            newcomer = Client.objects.create(
                workspace=client.workspace, name=f"Newcomer {back}-{i}"
            )
            project(newcomer, at.date())
