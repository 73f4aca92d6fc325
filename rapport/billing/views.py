"""Staff pages for invoices, payments, payment methods, time entries and the kickoff
checklist. Thin: read through selectors, write through services, errors onto the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.accounts.access import StaffRequest, found_or_404, membership_of, workspace_of
from rapport.billing import access, selectors
from rapport.billing.documents import invoice_pdf_render, method_rows
from rapport.billing.forms import (
    STATUS_FILTERS,
    InvoiceLineForm,
    IssueForm,
    NewInvoiceForm,
    PaymentForm,
    PaymentMethodForm,
    TimeEntryForm,
)
from rapport.billing.kickoff import kickoff_item_tick
from rapport.billing.models import Invoice, PaymentMethod
from rapport.billing.payment_methods import (
    iban_display,
    payment_method_archive,
    payment_method_save,
    payment_methods_for,
)
from rapport.billing.services import invoices, payments, stages, time_entries
from rapport.billing.services.supply import supply_default
from rapport.clients.models import Client
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.projects.access import project_or_404

INVOICES_PER_PAGE = 50
MAX_PAGE = 100_000


def _error(request: StaffRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


# --- invoices -------------------------------------------------------------------------------


@login_required
def invoice_list(request: StaffRequest) -> HttpResponse:
    workspace = workspace_of(request)
    status = request.GET.get("status", "")
    if status not in dict(STATUS_FILTERS):
        status = ""
    client_param = request.GET.get("client", "")
    client = None
    if client_param.isdigit():
        client = found_or_404(
            Client.objects.for_workspace(workspace).filter(pk=int(client_param)).first()
        )
    listed = selectors.invoice_list(
        workspace=workspace, status=status, client_id=client.pk if client else None
    )
    page_param = request.GET.get("page", "")
    number = int(page_param) if page_param.isdigit() and 0 < int(page_param) <= MAX_PAGE else 1
    rows, has_next = selectors.invoice_page(listed, number, INVOICES_PER_PAGE)
    return render(
        request,
        "billing/invoice_list.html",
        {
            "page_number": number,
            "has_next": has_next,
            "invoices": rows,
            "status": status,
            "statuses": STATUS_FILTERS,
            "client": client,
        },
    )


def _issue_form(invoice: Invoice) -> IssueForm | None:
    """A draft's issue form, proposing the period of its hours as the service period."""
    if invoice.status != Invoice.Status.DRAFT:
        return None
    supplied_on, supplied_until = supply_default(invoice)
    return IssueForm(initial={"supplied_on": supplied_on, "supplied_until": supplied_until})


def _detail_context(request: StaffRequest, invoice: Invoice, **extra: Any) -> dict[str, Any]:
    workspace = workspace_of(request)
    methods = list(payment_methods_for(workspace))
    return {
        "invoice": invoice,
        "lines": selectors.invoice_lines(invoice),
        "payments": selectors.invoice_payments(invoice),
        "methods": [(m, method_rows(m)) for m in methods],
        "line_form": extra.pop("line_form", None) or InvoiceLineForm(),
        "issue_form": _issue_form(invoice),
        "payment_form": extra.pop("payment_form", None)
        or PaymentForm(
            workspace=workspace,
            initial={"amount": invoice.balance, "received_on": workspace_today(workspace)},
        ),
        **extra,
    }


@login_required
def invoice_detail(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_or_404(request, pk)
    return render(request, "billing/invoice_detail.html", _detail_context(request, invoice))


@login_required
def invoice_new(request: StaffRequest, project_pk: int) -> HttpResponse:
    """Draft an invoice for a project: a stage of the schedule not invoiced yet, or the
    unbilled hours."""
    project = project_or_404(request, project_pk)
    open_stages = selectors.stages_not_invoiced(project)
    form = NewInvoiceForm(request.POST or None, stages=open_stages)

    def draft() -> Invoice:
        source = form.cleaned_data["source"]
        if source == "hourly":
            return time_entries.invoice_draft_hourly(
                project=project, actor=request.user, rate=form.cleaned_data["rate"]
            )
        stage = next(s for s in open_stages if f"stage:{s.pk}" == source)
        return stages.invoice_draft_from_stage(stage=stage, actor=request.user)

    invoice = form_save(request, form, draft)
    if invoice is not None:
        messages.success(request, _("Draft invoice created. Check it, then issue it."))
        return redirect("billing:invoice_detail", invoice.pk)
    return render_form(request, "billing/invoice_new.html", {"project": project, "form": form})


@login_required
@require_POST
def invoice_line_add(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_or_404(request, pk)
    form = InvoiceLineForm(request.POST)
    line = form_save(
        request, form, lambda: invoices.invoice_line_add(invoice=invoice, **form.cleaned_data)
    )
    if line is not None:
        return redirect("billing:invoice_detail", invoice.pk)
    invoice.refresh_from_db()
    context = _detail_context(request, invoice, line_form=form)
    return render_form(request, "billing/invoice_detail.html", context, form=form)


@login_required
@require_POST
def invoice_line_remove(request: StaffRequest, pk: int) -> HttpResponse:
    line = access.invoice_line_or_404(request, pk)
    try:
        invoices.invoice_line_remove(line=line)
    except ApplicationError as exc:
        _error(request, exc)
    return redirect("billing:invoice_detail", line.invoice_id)


@login_required
@require_POST
def invoice_issue(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_or_404(request, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            said = " ".join(str(e) for e in errors)
            messages.error(request, f"{form.fields[field].label}: {said}")
        return redirect("billing:invoice_detail", invoice.pk)
    try:
        issued = invoices.invoice_issue(
            invoice=invoice,
            actor=request.user,
            supplied_on=form.cleaned_data["supplied_on"],
            supplied_until=form.cleaned_data["supplied_until"],
        )
    except ApplicationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Invoice %(number)s issued and sent to %(name)s.")
            % {
                "number": issued.display_number,
                "name": issued.contact.name if issued.contact else "",
            },
        )
    return redirect("billing:invoice_detail", invoice.pk)


@login_required
@require_POST
def invoice_void(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_or_404(request, pk)
    try:
        invoices.invoice_void(
            invoice=invoice, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Invoice cancelled."))
    return redirect("billing:invoice_detail", invoice.pk)


def pdf_response(invoice: Invoice, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = invoice.display_number or f"draft-{invoice.pk}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def invoice_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    """The stored PDF of an issued invoice (the bytes whose SHA-256 is kept); a draft gets a
    preview rendered now and not stored."""
    invoice = access.invoice_or_404(request, pk)
    if invoice.status == Invoice.Status.DRAFT:
        return pdf_response(invoice, invoice_pdf_render(invoice))
    stored = Invoice.objects.filter(pk=invoice.pk).values_list("pdf", flat=True).first()
    if not stored:
        raise Http404
    return pdf_response(invoice, bytes(stored))


@login_required
@require_POST
def payment_add(request: StaffRequest, pk: int) -> HttpResponse:
    invoice = access.invoice_or_404(request, pk)
    form = PaymentForm(request.POST, workspace=workspace_of(request))
    payment = form_save(
        request,
        form,
        lambda: payments.payment_record(invoice=invoice, actor=request.user, **form.cleaned_data),
    )
    if payment is not None:
        messages.success(request, _("Payment recorded."))
        return redirect("billing:invoice_detail", invoice.pk)
    context = _detail_context(request, invoice, payment_form=form)
    return render_form(request, "billing/invoice_detail.html", context, form=form)


# --- payment methods ------------------------------------------------------------------------


def _owner_only(save: Callable[[], PaymentMethod]) -> Callable[[], PaymentMethod]:
    """``save``, with a member who is not the owner answered 404 (as for another workspace's
    method) instead of a form error."""

    def run() -> PaymentMethod:
        try:
            return save()
        except ApplicationError as exc:
            if exc.code == "forbidden":
                raise Http404 from exc
            raise

    return run


@login_required
def payment_methods(request: StaffRequest) -> HttpResponse:
    """Settings → Payment methods: the list and, for the owner, a form to add one (P10)."""
    membership = membership_of(request)
    form = PaymentMethodForm(request.POST or None)
    added = form_save(
        request,
        form,
        _owner_only(lambda: payment_method_save(membership=membership, **form.cleaned_data)),
    )
    if added is not None:
        messages.success(request, _("Payment method added."))
        return redirect("billing:payment_methods")
    methods = list(payment_methods_for(membership.workspace))
    context = {
        "membership": membership,
        "methods": [(m, method_rows(m)) for m in methods],
        "form": form,
    }
    return render_form(request, "billing/payment_methods.html", context)


@login_required
def payment_method_edit(request: StaffRequest, pk: int) -> HttpResponse:
    membership = membership_of(request)
    method = access.payment_method_or_404(request, pk)
    initial = {
        "kind": method.kind,
        "label": method.label,
        "account_holder": method.account_holder,
        "iban": iban_display(method.iban),
        "bic": method.bic,
        "url": method.url,
        "email": method.email,
        "instructions": method.instructions,
    }
    form = PaymentMethodForm(request.POST or None, initial=initial)
    saved = form_save(
        request,
        form,
        _owner_only(
            lambda: payment_method_save(membership=membership, method=method, **form.cleaned_data)
        ),
    )
    if saved is not None:
        messages.success(request, _("Payment method saved."))
        return redirect("billing:payment_methods")
    context = {"method": method, "form": form, "membership": membership}
    return render_form(request, "billing/payment_method_form.html", context)


@login_required
@require_POST
def payment_method_remove(request: StaffRequest, pk: int) -> HttpResponse:
    method = access.payment_method_or_404(request, pk)
    try:
        payment_method_archive(membership=membership_of(request), method=method)
    except ApplicationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Payment method removed."))
    return redirect("billing:payment_methods")


# --- time entries and kickoff ---------------------------------------------------------------


@login_required
@require_POST
def time_entry_add(request: StaffRequest, project_pk: int) -> HttpResponse:
    project = project_or_404(request, project_pk)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            time_entries.time_entry_add(project=project, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Time recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
    return redirect(reverse("projects:detail", args=[project.pk]) + "#time")


@login_required
@require_POST
def time_entry_remove(request: StaffRequest, pk: int) -> HttpResponse:
    entry = access.time_entry_or_404(request, pk)
    try:
        time_entries.time_entry_remove(entry=entry)
    except ApplicationError as exc:
        _error(request, exc)
    return redirect(reverse("projects:detail", args=[entry.project_id]) + "#time")


@login_required
@require_POST
def kickoff_tick(request: StaffRequest, pk: int) -> HttpResponse:
    """Tick a kickoff step; with htmx only the step's line comes back."""
    item = access.kickoff_item_or_404(request, pk)
    item = kickoff_item_tick(item=item, actor=request.user, done=request.POST.get("done") == "1")
    if getattr(request, "htmx", False):
        return render(request, "billing/_kickoff_item.html", {"item": item})
    return redirect(reverse("projects:detail", args=[item.project_id]) + "#kickoff")
