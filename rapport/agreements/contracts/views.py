"""Staff pages for contracts and amendments: the document, its evidence, countersigning,
withdrawing, verifying, and the contract templates in Settings (P08)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts.access import StaffRequest, found_or_404, membership_of, workspace_of
from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.agreements.audit import audit_verify, pdf_matches
from rapport.agreements.contracts import selectors
from rapport.agreements.contracts.forms import ContractTemplateForm
from rapport.agreements.contracts.terms import contract_template_for, contract_template_save
from rapport.agreements.models import Document
from rapport.agreements.signing.forms import CountersignForm, PdfCheckForm, VoidForm
from rapport.agreements.signing.services import (
    Evidence,
    document_countersign,
    document_verify,
    document_void,
    provider_consent_text,
)
from rapport.clients.access import client_or_404
from rapport.core.client_ip import client_ip
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404


def request_evidence(request: HttpRequest) -> Evidence:
    """The IP address (``core.client_ip``: the proxy's header behind BEHIND_PROXY) and user
    agent of a signature."""
    return Evidence(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:500])


def pdf_response(document: Document, *, inline: bool = False) -> HttpResponse:
    """The stored bytes, exactly as signed (never re-rendered)."""
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    name = slugify(document.title) or "document"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _document(request: StaffRequest, pk: int) -> Document:
    return found_or_404(selectors.document_for_staff(workspace=workspace_of(request), pk=pk))


@login_required
def contract_detail(request: StaffRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    context = {
        "document": document,
        "client": document.client,
        "signatures": list(document.signatures.all()),
        "events": list(document.audit.all()),
        "countersign_form": CountersignForm(initial={"typed_name": request.user.name}),
        "consent_text": provider_consent_text(document, request.LANGUAGE_CODE),
        "void_form": VoidForm(),
        "check_form": PdfCheckForm(),
    }
    return render(request, "agreements/contract_detail.html", context)


@login_required
def contract_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    return pdf_response(_document(request, pk))


@login_required
@require_POST
def contract_countersign(request: StaffRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = CountersignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box and type your name to countersign."))
        return redirect("agreements:contract_detail", document.pk)
    try:
        document_countersign(
            document=document,
            actor=request.user,
            typed_name=form.cleaned_data["typed_name"],
            consent=form.cleaned_data["consent"],
            evidence=request_evidence(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Countersigned: the document is signed by both sides."))
    return redirect("agreements:contract_detail", document.pk)


@login_required
@require_POST
def contract_void(request: StaffRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is withdrawn."))
        return redirect("agreements:contract_detail", document.pk)
    try:
        document_void(document=document, actor=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawn: it can no longer be signed."))
    return redirect("agreements:contract_detail", document.pk)


@login_required
@require_POST
def contract_verify(request: StaffRequest, pk: int) -> HttpResponse:
    """One click: recompute the PDF's hash, the signatures' and the chain; record it."""
    document = _document(request, pk)
    result = document_verify(document=document, actor=request.user)
    context = {"document": document, "result": result}
    if request.htmx:
        return render(request, "agreements/contract_verify_result.html", context)
    if result.ok:
        messages.success(request, _("Verified: the PDF, the signatures and the trail are intact."))
    else:
        messages.error(request, " ".join(result.problems))
    return redirect("agreements:contract_detail", document.pk)


@login_required
@require_POST
def contract_check_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    """Check an uploaded PDF file against the document's stored SHA-256."""
    document = _document(request, pk)
    form = PdfCheckForm(request.POST, request.FILES)
    context: dict[str, object] = {"document": document, "check_form": form}
    status = 200
    if form.is_valid():
        upload = form.cleaned_data["file"]
        context["match"] = pdf_matches(document, upload.read())
        context["file_name"] = upload.name
        context["chain"] = audit_verify(document)
    else:
        status = 400
    if request.htmx:
        return render(request, "agreements/contract_check_result.html", context, status=status)
    if status == 400:
        messages.error(request, _("Choose a PDF file to check."))
    elif context["match"]:
        messages.success(request, _("This file is exactly the document on record."))
    else:
        messages.error(request, _("This file is NOT the document on record: it differs."))
    return redirect("agreements:contract_detail", document.pk)


@login_required
def contract_templates(request: StaffRequest) -> HttpResponse:
    """Settings: the contract terms of each language (the owner edits them)."""
    workspace = workspace_of(request)
    language = (
        request.GET.get("language") or request.POST.get("language") or (workspace.default_language)
    )
    if language not in dict(LANGUAGE_CHOICES):
        language = "en"
    if request.method == "POST":
        form = ContractTemplateForm(request.POST or None)
    else:
        template = contract_template_for(workspace, language)
        form = ContractTemplateForm(
            initial={"language": language, "title": template.title, "body": template.body}
        )
    saved = form_save(
        request,
        form,
        lambda: contract_template_save(
            membership=membership_of(request),
            language=form.cleaned_data["language"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Contract terms saved."))
        return redirect(f"{request.path}?language={saved.language}")
    context = {
        "form": form,
        "language": language,
        "languages": LANGUAGE_CHOICES,
        "is_owner": membership_of(request).is_owner,
    }
    return render_form(request, "agreements/contract_templates.html", context)


# --- Sections of other apps' pages, loaded after the page (core.sections) ----------------------


@login_required
@require_GET
def client_contracts(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's contracts and amendments card (one query)."""
    client = client_or_404(request, client_pk)
    context = {
        "documents": selectors.documents_for_client(client=client),
        "anchor": "c",
        "show_project": True,
    }
    return render_section(request, "agreements/contract_list_partial.html", context, back=client)


@login_required
@require_GET
def project_contracts(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project page's contracts and amendments card (one query)."""
    project = project_or_404(request, project_pk, progress=False)
    context = {
        "documents": selectors.documents_for_project(project=project),
        "anchor": "p",
        "show_project": False,
    }
    return render_section(request, "agreements/contract_list_partial.html", context, back=project)
