"""Cancellations in the portal (P17): the client sees what the provider cancelled and why, and
agrees or not. A cancellation counts as a broken promise until a contact agrees to it. Every
lookup goes through the session's contact: another client's cancellation is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from rapport.clients.models import Contact
from rapport.commitments.selectors import PORTAL_CANCELLATIONS, cancellations_to_answer
from rapport.commitments.services import commitment_cancel_answer
from rapport.core.errors import ApplicationError
from rapport.portal.views import home_section, portal_view

ANSWERS = {"agree": True, "disagree": False}


@require_GET
@portal_view
def home_cancellations(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The cancellations waiting for the client's answer (one query)."""
    rows = cancellations_to_answer(client_id=contact.client_id, workspace_id=contact.workspace_id)
    context = {
        "cancellations": list(rows[:PORTAL_CANCELLATIONS]),
        "answer_error": request.GET.get("answer_error", "") == "1",
    }
    return home_section(request, contact, "portal/_cancellations.html", context)


@require_POST
@portal_view
def cancellation_answer(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """Agree or disagree to one cancellation; the first answer stands."""
    commitment = (
        cancellations_to_answer(client_id=contact.client_id, workspace_id=contact.workspace_id)
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404
    # A refusal shows the section again with the error (as a page of its own).
    refused = reverse("portal:home_cancellations") + "?answer_error=1"
    answer = request.POST.get("answer", "")
    if answer not in ANSWERS:
        return redirect(refused)
    try:
        commitment_cancel_answer(commitment=commitment, contact=contact, agree=ANSWERS[answer])
    except ApplicationError:
        return redirect(refused)
    return redirect(f"{reverse('portal:home')}#cancellations")
