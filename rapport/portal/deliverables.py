"""Deliverables in the portal (P06, P13): what was handed over for review, its files (streamed
after the access check) and links, and the client's approval. Asking for changes is the
revision round of ``portal.revisions``; its form sits in the same section.

Every lookup goes through the session's contact: another client's deliverable or file is a
404.
"""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.portal import selectors
from rapport.portal.views import portal_view
from rapport.projects.attachments import attachment_response
from rapport.projects.review import deliverable_accept


@require_GET
@portal_view
def deliverable_file(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    attachment = selectors.portal_attachment_get(contact=contact, pk=pk)
    if attachment is None:
        raise Http404
    # A streamed response; portal_view only passes it through.
    return cast(HttpResponse, attachment_response(attachment))


@require_POST
@portal_view
def deliverable_approve(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """ "Approve": the deliverable is accepted; back to where the button was."""
    deliverable = selectors.portal_deliverable_get(contact=contact, pk=pk)
    if deliverable is None:
        raise Http404
    url = reverse("portal:project", args=[deliverable.milestone.project_id])
    try:
        deliverable_accept(deliverable=deliverable, contact=contact)
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        return redirect(f"{url}?review_error=1#deliverable-{pk}")
    return redirect(f"{url}?approved={pk}#deliverable-{pk}")
