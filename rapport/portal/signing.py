"""Portal pages for signing contracts and amendments, and for change requests (P08, P19).

The contact reads the terms (the same data as the PDF), downloads the exact PDF, asks for a
one-time code by email and signs with it. Only the document's signer may sign; every read is
scoped to the contact's client (404 for anything else).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.agreements.changes import selectors as change_selectors
from rapport.agreements.changes.forms import PortalChangeForm, RejectForm
from rapport.agreements.changes.services import change_request_create, change_request_reject
from rapport.agreements.contracts import selectors
from rapport.agreements.contracts.views import pdf_response, request_evidence
from rapport.agreements.models import Document, Quote
from rapport.agreements.signing.codes import signature_code_send
from rapport.agreements.signing.forms import SignForm
from rapport.agreements.signing.services import consent_text, document_sign_client, document_viewed
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.core.form_views import form_save, render_form
from rapport.core.forms import form_add_error
from rapport.portal import selectors as portal_selectors
from rapport.portal.views import home_section, portal_view
from rapport.projects.models import ChangeRequest

VIEWED_KEY = "portal_viewed_documents"


def _document(contact: Contact, pk: int) -> Document:
    document = selectors.portal_document(contact=contact, pk=pk)
    if document is None:
        raise Http404
    return document


def _blocker(document: Document, contact: Contact) -> str:
    """Why this contact cannot sign this document now ("" when they can)."""
    if document.status == Document.Status.VOID:
        return _("This document was withdrawn; it cannot be signed.")
    if document.quote is not None and document.quote.status == Quote.Status.SUPERSEDED:
        return _("This document was replaced by a newer version; it cannot be signed.")
    if document.client_signed_at is not None:
        return ""
    if contact.pk != document.signer_id:
        return _("%(name)s signs this document for you.") % {"name": document.signer.name}
    if document.sign_by <= timezone.now():
        return _("The time to sign this document has passed; ask us for a new one.")
    return ""


def _render_sign(
    request: HttpRequest, contact: Contact, document: Document, form: SignForm, status: int = 200
) -> HttpResponse:
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "has_logo": bool(contact.client.workspace.logo),
        "document": document,
        "data": document.data,
        "form": form,
        "consent_text": consent_text(document, contact.effective_language),
        "blocker": _blocker(document, contact),
        "can_sign": document.status == Document.Status.AWAITING_CLIENT
        and not _blocker(document, contact),
        "code_sent": request.GET.get("code") == "sent",
        "signatures": list(document.signatures.all()),
    }
    return render(request, "portal/sign.html", context, status=status)


@portal_view
def sign(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """The terms, the PDF link, and (for the signer, while it can be signed) the signing form."""
    document = _document(contact, pk)
    viewed = request.session.get(VIEWED_KEY, [])
    if document.pk not in viewed and document.status != Document.Status.VOID:
        # Once per portal session: the trail shows that the client opened it, not every reload.
        document_viewed(document=document, contact=contact)
        request.session[VIEWED_KEY] = [*viewed, document.pk][-50:]
    return _render_sign(request, contact, document, SignForm())


@portal_view
def sign_pdf(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return pdf_response(_document(contact, pk))


@portal_view
@require_POST
def sign_code(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    document = _document(contact, pk)
    try:
        signature_code_send(document=document, contact=contact)
    except ApplicationError as exc:
        form = SignForm(request.POST)
        form.is_valid()
        form_add_error(form, exc)
        return _render_sign(request, contact, document, form, status=400)
    return redirect(f"{reverse('portal:sign', args=[document.pk])}?code=sent#sign")


@portal_view
@require_POST
def sign_confirm(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    document = _document(contact, pk)
    form = SignForm(request.POST)
    form.is_valid()  # every field is optional here: the service names what is missing
    try:
        document_sign_client(
            document=document,
            contact=contact,
            typed_name=form.cleaned_data.get("typed_name", ""),
            consent=bool(form.cleaned_data.get("consent")),
            code=form.cleaned_data.get("code", ""),
            evidence=request_evidence(request),
        )
    except ApplicationError as exc:
        form_add_error(form, exc)
        document.refresh_from_db()
        return _render_sign(request, contact, document, form, status=400)
    return redirect(f"{reverse('portal:sign', args=[document.pk])}?signed=1")


@require_GET
@portal_view
def home_signing(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The portal home's contracts and changes (three queries), loaded after the home; after
    asking for a change (``?change=sent``) it thanks the client."""
    context = {
        "documents": selectors.portal_documents(contact=contact),
        "changes": change_selectors.portal_change_list(contact=contact)[: selectors.LIST_LIMIT],
        # A change can be asked for a project the change form offers.
        "has_projects": portal_selectors.portal_projects_for_choice(contact=contact).exists(),
        "sent": request.GET.get("change") == "sent",
    }
    return home_section(request, contact, "portal/sign_home.html", context)


@portal_view
def change_new(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The client asks for a change; it comes back priced and dated, to sign."""
    projects = portal_selectors.portal_projects_for_choice(contact=contact)
    form = PortalChangeForm(request.POST or None, projects=projects)
    created = form_save(
        request,
        form,
        lambda: change_request_create(
            project=form.cleaned_data["project"],
            contact=contact,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        ),
    )
    if created is not None:
        return redirect(f"{reverse('portal:home')}?change=sent#changes")
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "form": form,
    }
    return render_form(request, "portal/change_form.html", context)


@portal_view
def change_reject(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Reject a change sent to sign, with a reason (GET shows the form)."""
    change = change_selectors.portal_changes(contact=contact).filter(pk=pk).first()
    if change is None:
        raise Http404
    form = RejectForm(request.POST or None)
    rejected = form_save(
        request,
        form,
        lambda: change_request_reject(
            change_request=change, contact=contact, reason=form.cleaned_data["reason"]
        ),
    )
    if rejected is not None:
        return redirect(f"{reverse('portal:home')}#changes")
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "change": change,
        "form": form,
        "can_reject": change.status == ChangeRequest.Status.AWAITING_SIGNATURE,
    }
    return render_form(request, "portal/change_reject.html", context)
