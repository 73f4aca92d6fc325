"""The client's invoices in the portal (P09, P10, P35): list, one invoice, its PDF.

Everything is read through the session contact's client (``portal_view``), in their language;
another client's invoice is a 404. The PDF served is the stored one, whose SHA-256 was kept
when the invoice was issued.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapport.billing.documents import method_rows
from rapport.billing.models import Invoice
from rapport.billing.payment_methods import payment_methods_for
from rapport.billing.selectors import portal_invoices, portal_open_invoices
from rapport.billing.views import pdf_response
from rapport.clients.models import Contact
from rapport.portal.views import home_section, portal_view

INVOICES_SHOWN = 100


def _methods(contact: Contact) -> list[tuple[object, list[tuple[str, str]]]]:
    return [(m, method_rows(m)) for m in payment_methods_for(contact.client.workspace_id)]


@portal_view
def invoices(request: HttpRequest, contact: Contact) -> HttpResponse:
    found = list(portal_invoices(contact=contact)[:INVOICES_SHOWN])
    open_ = [i for i in found if i.status == Invoice.Status.ISSUED]
    totals: dict[str, Decimal] = {}
    for i in open_:
        totals[i.currency] = totals.get(i.currency, Decimal(0)) + i.balance
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "invoices": found,
        "outstanding": sorted(totals.items()),
        "methods": _methods(contact),
    }
    return render(request, "portal/invoices.html", context)


def _invoice_of(contact: Contact, pk: int) -> Invoice:
    found = portal_invoices(contact=contact).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@portal_view
def invoice(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    found = _invoice_of(contact, pk)
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "invoice": found,
        "lines": list(found.lines.all()),
        "payments": list(found.payments.all()),
        "methods": _methods(contact),
    }
    return render(request, "portal/invoice.html", context)


@portal_view
def invoice_pdf(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    found = _invoice_of(contact, pk)
    stored = Invoice.objects.filter(pk=found.pk).values_list("pdf", flat=True).first()
    if not stored:
        raise Http404
    return pdf_response(found, bytes(stored))


@require_GET
@portal_view
def home_invoices(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The portal home's invoices card: what is open to pay (one query), loaded after the
    home, with a link to the invoices page."""
    context = {"open_invoices": portal_open_invoices(contact)}
    return home_section(request, contact, "portal/_invoices_summary.html", context)
