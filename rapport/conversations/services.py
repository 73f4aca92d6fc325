"""Client requests answered on time (P14): acknowledged at once with an ETA, alerted before
the target passes, and closed only with a decision the client sees."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep, commitment_open
from rapport.conversations.models import Request
from rapport.conversations.quoting import quote_split
from rapport.conversations.selectors import request_answer_contact
from rapport.conversations.signals import client_wrote_announce
from rapport.core.clock import BusinessHours, add_business_hours, workspace_hours
from rapport.core.errors import ApplicationError
from rapport.core.texts import TextRef, text_in_default, text_ref
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, alerts_resolve_for, notification_queue
from rapport.projects.models import Project

REFERENCE = re.compile(r"\[R-(\d{1,12})\]")


def business_hours(workspace: Workspace) -> BusinessHours:
    """The workspace's hours, days and public holidays: a request is not due on a holiday."""
    return workspace_hours(workspace)


def request_eta(*, client: Client, received_at: datetime) -> tuple[datetime, datetime]:
    """(answer by, alert at): the response target in business hours, and the share of it
    after which the provider is alerted (default 75%)."""
    workspace = client.workspace
    hours = client.response_target_hours or workspace.response_target_hours
    bh = business_hours(workspace)
    eta = add_business_hours(received_at, hours, bh)
    alert_at = add_business_hours(received_at, hours * workspace.response_alert_percent / 100, bh)
    return eta, alert_at


def _clean_text(value: str, *, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise ApplicationError(_("This field cannot be empty."), field=field)
    if len(text) > limit:
        raise ApplicationError(
            ngettext("At most %(n)s character.", "At most %(n)s characters.", limit) % {"n": limit},
            field=field,
        )
    return text


@transaction.atomic
def request_receive(
    *,
    client: Client,
    contact: Contact | None,
    source: str,
    subject: str | TextRef,
    body: str,
    project: Project | None = None,
    actor: User | None = None,
    received_at: datetime | None = None,
    message_id: str = "",
    urgent: bool = False,
    tone_text: str | None = None,
) -> Request:
    """Log a request and acknowledge it to the contact at once, with its ETA.

    The ETA is a commitment ("reply"); the provider gets an alert now and another when the
    share of the target set in the workspace has passed without an answer. The alert tells the
    client's account owner at once on their channel (``notifications.members``), after their
    quiet hours unless the client marked the request ``urgent``. ``subject`` is what the client
    wrote, or a ``text_ref`` when the system has to name it (an email without a subject).

    The client's own words are announced (``signals.client_wrote``) so that their tone is
    read (P23, P24): ``tone_text`` when given ("" for none), else the subject and body of a
    portal or email request. A phone or "other" request is the provider's summary: not read.
    """
    if source not in Request.Source.values:
        raise ApplicationError(_("Unknown source."), field="source")
    if contact is not None and contact.client_id != client.pk:
        raise ApplicationError(_("Choose a contact of this client."), field="contact")
    if project is not None and project.client_id != client.pk:
        raise ApplicationError(_("This project belongs to another client."), field="project")
    subject_ref: TextRef = subject if isinstance(subject, dict) else {}
    subject = _clean_text(
        text_in_default(subject_ref) if subject_ref else str(subject), field="subject", limit=300
    )
    body = _clean_text(body, field="body", limit=20000)
    received_at = received_at or timezone.now()
    eta, alert_at = request_eta(client=client, received_at=received_at)
    request = Request.objects.create(
        workspace_id=client.workspace_id,
        client=client,
        contact=contact,
        project=project,
        source=source,
        subject=subject,
        subject_ref=subject_ref,
        body=body,
        urgent=urgent,
        received_at=received_at,
        eta=eta,
        alert_at=alert_at,
        message_id=message_id[:300],
    )
    request.reference = f"R-{request.pk}"
    request.save(update_fields=["reference"])
    commitment_open(
        client=client,
        kind=Commitment.Kind.REPLY,
        wording=text_ref("commitment.answer", subject=subject_ref or subject[:200]),
        due_at=eta,
        project=project,
        request=request,
        dedupe_key=f"reply:{request.pk}",
        actor=actor,
    )
    if contact is not None:
        # The client has just written: the acknowledgement goes now, whatever the hour.
        notification_queue(
            contact=contact,
            template="request_ack",
            context={"request": request},
            urgent=True,
            subject=request,
            dedupe_key=f"request_ack:{request.pk}",
        )
        request.acknowledged_at = timezone.now()
        request.save(update_fields=["acknowledged_at"])
    if tone_text is None:
        own_words = source in (Request.Source.PORTAL, Request.Source.EMAIL)
        # An email's quoted tail is the provider's earlier message, not the client's words.
        new_words = quote_split(body)[0] if source == Request.Source.EMAIL else body
        tone_text = (new_words if subject_ref else f"{subject}.\n{new_words}") if own_words else ""
    client_wrote_announce(message=request, request=request, contact=contact, text=tone_text)
    timeline_record(
        client=client,
        verb="request.received",
        actor=actor,
        actor_contact=contact,
        subject=request,
        data={
            "name": contact.name if contact else client.name,
            "subject": request.subject_data,
            "eta": eta.isoformat(),
        },
    )
    alert_data: dict[str, object] = {
        "subject": request.subject_data,
        "name": contact.name if contact else client.name,
    }
    if urgent:
        # Read by members.alert_notify: the notice goes now, even in quiet hours.
        alert_data["urgent"] = True
    alert_raise(
        workspace=client.workspace_id,
        kind=Alert.Kind.REQUEST_RECEIVED,
        dedupe_key=f"request_received:{request.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=request,
        data=alert_data,
        severity=Alert.Severity.INFO,
        due_at=eta,
    )
    return request


def _first_response(request: Request, now: datetime, actor: User | None) -> None:
    if request.first_response_at is None:
        request.first_response_at = now
    for commitment in Commitment.objects.filter(
        request=request, state=Commitment.State.OPEN
    ).select_related("client"):
        commitment_keep(commitment=commitment, actor=actor, now=now)
    # Answering deals with the client's replies too: their alerts leave the alert centre.
    alerts_resolve_for(
        subject=request,
        kinds=[
            Alert.Kind.REQUEST_RECEIVED,
            Alert.Kind.REQUEST_NEAR_TARGET,
            Alert.Kind.REPLY_RECEIVED,
        ],
    )


@transaction.atomic
def request_reply(*, request: Request, actor: User, message: str) -> Request:
    """Answer without closing the request (e.g. a question back). Counts as first response.
    The answer goes to the contact who wrote last (:func:`request_answer_contact`)."""
    message = _clean_text(message, field="message", limit=20000)
    if request.state != Request.State.OPEN:
        raise ApplicationError(_("This request is already closed."), field="request")
    now = timezone.now()
    _first_response(request, now, actor)
    request.save(update_fields=["first_response_at", "updated_at"])
    contact = request_answer_contact(request=request)
    if contact is not None:
        notification_queue(
            contact=contact,
            template="request_reply",
            context={"request": request, "message": message},
            subject=request,
        )
    timeline_record(
        client=request.client,
        verb="request.replied",
        actor=actor,
        subject=request,
        data={"subject": request.subject_data},
    )
    return request


@transaction.atomic
def request_decide(*, request: Request, actor: User, decision: str, message: str) -> Request:
    """Close a request with a decision the client sees: done (with the answer) or declined
    (with the reason). There is no other way out of the inbox (P14). The decision goes to the
    contact who wrote last (:func:`request_answer_contact`)."""
    locked = Request.objects.select_for_update().get(pk=request.pk)
    if locked.state != Request.State.OPEN:
        raise ApplicationError(_("This request is already closed."), field="request")
    if decision not in (Request.State.DONE, Request.State.DECLINED):
        raise ApplicationError(_("Choose done or declined."), field="decision")
    field = "answer" if decision == Request.State.DONE else "decision_reason"
    message = _clean_text(message, field=field, limit=20000)
    now = timezone.now()
    _first_response(request, now, actor)
    request.state = decision
    request.resolved_at = now
    request.resolved_by = actor
    if decision == Request.State.DONE:
        request.answer = message
    else:
        request.decision_reason = message
    request.save()
    contact = request_answer_contact(request=request)
    if contact is not None:
        notification_queue(
            contact=contact,
            template="request_done" if decision == Request.State.DONE else "request_declined",
            context={"request": request, "message": message},
            subject=request,
            dedupe_key=f"request_decision:{request.pk}",
        )
    timeline_record(
        client=request.client,
        verb=f"request.{decision}",
        actor=actor,
        subject=request,
        data={"subject": request.subject_data, "reason": request.decision_reason[:100]},
    )
    return request
