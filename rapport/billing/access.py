"""Who may see which billing rows: everything is scoped to the request's workspace (404 for
another workspace's ids)."""

from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.access import found_or_404, workspace_of
from rapport.billing import selectors
from rapport.billing.models import Invoice, InvoiceLine, PaymentMethod, TimeEntry
from rapport.projects.models import KickoffItem


def invoice_or_404(request: HttpRequest, pk: int) -> Invoice:
    return found_or_404(selectors.invoice_get(workspace=workspace_of(request), pk=pk))


def invoice_line_or_404(request: HttpRequest, pk: int) -> InvoiceLine:
    workspace = workspace_of(request)
    return found_or_404(
        InvoiceLine.objects.select_related("invoice")
        .filter(pk=pk, invoice__workspace=workspace)
        .first()
    )


def payment_method_or_404(request: HttpRequest, pk: int) -> PaymentMethod:
    return found_or_404(
        PaymentMethod.objects.for_workspace(workspace_of(request)).filter(pk=pk).first()
    )


def time_entry_or_404(request: HttpRequest, pk: int) -> TimeEntry:
    return found_or_404(
        TimeEntry.objects.for_workspace(workspace_of(request)).filter(pk=pk).first()
    )


def kickoff_item_or_404(request: HttpRequest, pk: int) -> KickoffItem:
    return found_or_404(
        KickoffItem.objects.for_workspace(workspace_of(request)).filter(pk=pk).first()
    )
