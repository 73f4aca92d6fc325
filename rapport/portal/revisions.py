"""Revision rounds in the portal (P08): ask for changes to a delivered deliverable, and accept
or decline the cost of a billable round before any work on it. Every lookup goes through the
session's contact: a deliverable or round of another client is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from rapport.billing.revisions import services as revisions
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.portal.selectors import VISIBLE_PROJECT_STATUSES
from rapport.portal.views import portal_view
from rapport.projects.models import Deliverable, RevisionRound


def _project_url(project_id: int, anchor: str, error: str = "", changes_for: int = 0) -> str:
    url = reverse("portal:project", args=[project_id])
    # ``changes_for``: the deliverable whose "ask for changes" form shows the error.
    query = f"&changes_for={changes_for}" if changes_for else ""
    return f"{url}?revision_error={error}{query}#{anchor}" if error else f"{url}#{anchor}"


def _visible_deliverable(contact: Contact, pk: int) -> Deliverable:
    found = (
        Deliverable.objects.filter(
            pk=pk,
            workspace_id=contact.workspace_id,
            milestone__project__client_id=contact.client_id,
            milestone__project__status__in=VISIBLE_PROJECT_STATUSES,
            milestone__project__archived_at__isnull=True,
            archived_at__isnull=True,
        )
        .select_related("milestone__project__client")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _visible_round(contact: Contact, pk: int) -> RevisionRound:
    found = (
        RevisionRound.objects.filter(
            pk=pk,
            workspace_id=contact.workspace_id,
            deliverable__milestone__project__client_id=contact.client_id,
            deliverable__milestone__project__archived_at__isnull=True,
        )
        .select_related("deliverable__milestone__project")
        .first()
    )
    if found is None:
        raise Http404
    return found


@portal_view
@require_POST
def revision_request(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """ "Ask for changes" on a delivered deliverable."""
    deliverable = _visible_deliverable(contact, pk)
    project_id = deliverable.milestone.project_id
    try:
        revisions.revision_round_request(
            deliverable=deliverable,
            contact=contact,
            description=request.POST.get("description", ""),
        )
    except ApplicationError as exc:
        return redirect(
            _project_url(project_id, f"deliverable-{pk}", error=exc.field or "1", changes_for=pk)
        )
    return redirect(_project_url(project_id, "revisions"))


def _decide(request: HttpRequest, contact: Contact, pk: int, *, accept: bool) -> HttpResponse:
    round_ = _visible_round(contact, pk)
    project_id = round_.deliverable.milestone.project_id
    try:
        if accept:
            revisions.revision_round_accept(round_=round_, contact=contact)
        else:
            revisions.revision_round_decline(round_=round_, contact=contact)
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        return redirect(_project_url(project_id, f"round-{pk}", error="round"))
    return redirect(_project_url(project_id, f"round-{pk}"))


@portal_view
@require_POST
def revision_accept(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return _decide(request, contact, pk, accept=True)


@portal_view
@require_POST
def revision_decline(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return _decide(request, contact, pk, accept=False)
