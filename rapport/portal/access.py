"""The only way the portal reaches data: through the contact of the portal session.

Every portal read is scoped to the session contact's client (and so to its workspace).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone

from rapport.care.model_surveys import Survey
from rapport.care.surveys.links import survey_token_read
from rapport.care.surveys.selectors import contact_survey
from rapport.clients.models import Contact, PortalLink
from rapport.clients.portal_links.selectors import portal_link_confirmed
from rapport.projects.models import ProjectUpdate
from rapport.projects.pulse_links import pulse_token_read

SESSION_KEY = "portal_link_id"
SESSION_STARTED_KEY = "portal_started_at"


def portal_session_start(request: HttpRequest, link: PortalLink) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk
    request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()


def portal_session_end(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_STARTED_KEY, None)


def portal_contact(request: HttpRequest) -> Contact:
    """The contact of this portal session, or 404.

    The session ends when its link is revoked, when the contact or client is archived, and
    after PORTAL_SESSION_MAX_AGE_DAYS.
    """
    link_id = request.session.get(SESSION_KEY)
    started = request.session.get(SESSION_STARTED_KEY, 0)
    max_age = settings.PORTAL_SESSION_MAX_AGE_DAYS * 86400
    if not link_id or timezone.now().timestamp() - started > max_age:
        raise Http404
    try:
        link = portal_link_confirmed(link_id=int(link_id))
    except (TypeError, ValueError):  # not an id: not a portal session
        link = None
    if link is None:
        portal_session_end(request)
        raise Http404
    contact = link.contact
    if contact.archived_at is not None or contact.client.archived_at is not None:
        raise Http404
    return contact


def pulse_link_target(token: str) -> tuple[Contact, ProjectUpdate] | None:
    """The contact and the update a pulse link was sent for (ADR 0033), or None when the
    token was altered or is too old, or either is gone, archived or no longer the other's."""
    found = pulse_token_read(token)
    if found is None:
        return None
    contact_id, update_id = found
    contact = Contact.objects.select_related("client__workspace").filter(pk=contact_id).first()
    if contact is None or contact.archived_at is not None or contact.client.archived_at:
        return None
    update = (
        ProjectUpdate.objects.filter(
            pk=update_id,
            workspace_id=contact.workspace_id,
            project__client_id=contact.client_id,
            archived_at__isnull=True,
        )
        .select_related("project")
        .first()
    )
    if update is None:
        return None
    return contact, update


def survey_link_target(token: str) -> tuple[Contact, Survey] | None:
    """The contact and the survey a survey link was sent for (ADR 0034), or None when the
    token was altered or is too old, or either is gone, archived or not the other's."""
    found = survey_token_read(token)
    if found is None:
        return None
    contact_id, survey_id = found
    contact = Contact.objects.select_related("client__workspace").filter(pk=contact_id).first()
    if contact is None or contact.archived_at is not None or contact.client.archived_at:
        return None
    survey = contact_survey(contact=contact, pk=survey_id)
    if survey is None:
        return None
    return contact, survey
