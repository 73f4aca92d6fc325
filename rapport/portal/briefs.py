"""The brief in the portal (P05): the contact answers question by question, in their own
time; every answer is saved as they go (htmx posts one answer on change) and a plain submit
saves them all without JavaScript. "Send" hands the brief back; then it is read-only.

Every lookup goes through the session's contact: a brief of another client is a 404.
"""

from __future__ import annotations

from typing import cast

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rapport.clients.briefs import selectors, services, validation
from rapport.clients.briefs.views import brief_file_response
from rapport.clients.models import Brief, BriefQuestion, Contact
from rapport.core.errors import ApplicationError
from rapport.portal.views import home_section, portal_view


def _brief_or_404(contact: Contact, pk: int) -> Brief:
    brief = selectors.portal_brief_get(contact=contact, pk=pk)
    if brief is None:
        raise Http404
    return brief


def _page(
    request: HttpRequest,
    contact: Contact,
    brief: Brief,
    *,
    errors: dict[str, list[str]] | None = None,
    posted: dict[int, str] | None = None,
) -> HttpResponse:
    context = {
        "contact": contact,
        "client": contact.client,
        "workspace_name": contact.client.workspace.name,
        "brief": brief,
        "rows": selectors.brief_rows(brief=brief, posted=posted),
        "errors": errors or {},
        "read_only": brief.status == Brief.Status.SUBMITTED,
        "max_mb": validation.MAX_UPLOAD_BYTES // (1024 * 1024),
        "accept": ",".join(sorted(validation.ALLOWED_UPLOADS)),
    }
    return render(request, "portal/brief.html", context, status=400 if errors else 200)


@portal_view
def brief(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """GET shows the brief; POST saves every answer (and with ``send`` hands it back)."""
    found = _brief_or_404(contact, pk)
    if request.method != "POST":
        return _page(request, contact, found)
    if found.status == Brief.Status.SUBMITTED:
        return _page(request, contact, found)
    texts: dict[int, str] = {}
    uploads: dict[int, UploadedFile[bytes]] = {}
    for index, question in enumerate(found.questions):
        key = f"q{index}"
        if question.get("kind") == BriefQuestion.Kind.FILE:
            upload = request.FILES.get(key)
            if isinstance(upload, UploadedFile):
                uploads[index] = upload
        elif key in request.POST:
            texts[index] = request.POST[key]
        elif question.get("kind") == BriefQuestion.Kind.CHOICE:
            texts[index] = ""  # no option chosen: a radio group sends nothing
    try:
        services.brief_answers_save(brief=found, contact=contact, texts=texts, uploads=uploads)
        if "send" in request.POST:
            services.brief_submit(brief=found, contact=contact)
    except ApplicationError as exc:
        found.refresh_from_db()
        return _page(request, contact, found, errors=exc.as_dict(), posted=texts)
    if "send" in request.POST:
        return redirect(f"{reverse('portal:brief', args=[found.pk])}?sent=1")
    return redirect(f"{reverse('portal:brief', args=[found.pk])}?saved=1")


@portal_view
@require_POST
def brief_answer(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Autosave of one answer (htmx; ``index`` names the question). Answers with a small
    status line; without htmx it goes back to the page."""
    found = _brief_or_404(contact, pk)
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        raise Http404 from None
    key = f"q{index}"
    error = ""
    try:
        services.brief_answer_save(
            brief=found,
            contact=contact,
            index=index,
            text=request.POST.get(key, ""),
            upload=upload if isinstance(upload := request.FILES.get(key), UploadedFile) else None,
        )
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        error = exc.message
    if not request.headers.get("HX-Request"):
        return redirect("portal:brief", found.pk)
    context = {"error": error, "row_index": index, "saved_at": timezone.now()}
    # htmx swaps only 2xx answers: a refused answer still comes back 200, as an alert.
    return render(request, "portal/brief_saved.html", context)


@portal_view
def brief_file(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    answer = selectors.portal_brief_answer_file(contact=contact, pk=pk)
    if answer is None:
        raise Http404
    # A streamed response; portal_view only passes it through.
    return cast(HttpResponse, brief_file_response(answer))


HOME_BRIEFS = 10


@require_GET
@portal_view
def home_briefs(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The portal home's questions for the client (briefs), newest first (one query), loaded
    after the home."""
    context = {"briefs": selectors.portal_briefs(contact=contact)[:HOME_BRIEFS]}
    return home_section(request, contact, "portal/_briefs.html", context)
