"""Inbound email (P14, P17): kept first, then threaded to its client's request, or left on
the Unmatched page for a provider to assign, make a lead of, or discard. Nothing is dropped."""

from __future__ import annotations

import re
from datetime import datetime

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_open
from rapport.conversations.models import InboundEmail, Mailbox, Request
from rapport.conversations.quoting import quote_split
from rapport.conversations.services import REFERENCE, request_eta, request_receive
from rapport.conversations.signals import client_wrote_announce
from rapport.core.errors import ApplicationError
from rapport.core.texts import text_ref
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert, Notification
from rapport.notifications.services import alert_raise, alerts_resolve_for

RECIPIENT_TOKEN = re.compile(r"\+([0-9a-f]{16})@", re.IGNORECASE)
# The Message-ID Rapport gives each email it sends (notifications.channels.email.message_id).
SENT_MESSAGE_ID = re.compile(r"<rapport-notification-(\d{1,18})@", re.IGNORECASE)
# "Re:" in the languages Rapport speaks (and a few mail programs' own): a reply, not a new ask.
REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|ris|rif|balas|απ|σχετ)\s*:", re.IGNORECASE)


def _workspace_of_recipient(recipient: str) -> Workspace | None:
    """The workspace whose inbound token is in the recipient address (local+token@domain)."""
    match = RECIPIENT_TOKEN.search(recipient)
    if match is None:
        return None
    return Workspace.objects.filter(inbound_token=match.group(1).lower()).first()


def sanitise_html(html: str) -> str:
    """Inbound HTML is cleaned with nh3 before it is ever shown."""
    return nh3.clean(
        html, tags={"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "blockquote", "a"}
    )


def _request_of_headers(email: InboundEmail, client_ids: set[int]) -> Request | None:
    """The request that an email Rapport sent was about, named in In-Reply-To/References.

    Notification ids are sequential, so a header alone proves nothing: the request must also
    belong to a client the sender is a contact of."""
    ids = [int(m) for m in SENT_MESSAGE_ID.findall(f"{email.in_reply_to} {email.references}")]
    if not ids:
        return None
    sent = (
        Notification.objects.filter(
            pk__in=ids[-20:], subject_type="request", client_id__in=client_ids
        )
        .order_by("-pk")
        .values_list("subject_id", flat=True)
        .first()
    )
    if sent is None:
        return None
    return Request.objects.filter(pk=sent).select_related("client").first()


def _request_threaded(email: InboundEmail, contacts: list[Contact]) -> Request | None:
    """The request an email answers: "[R-42]" in the subject, else the Message-ID of an email
    Rapport sent about it, else (for a reply) the sender's latest open request."""
    client_ids = {c.client_id for c in contacts}
    if not client_ids:
        return None
    match = REFERENCE.search(email.subject)
    if match:
        found = (
            Request.objects.filter(pk=int(match.group(1)), client_id__in=client_ids)
            .select_related("client")
            .first()
        )
        if found is not None:
            return found
    found = _request_of_headers(email, client_ids)
    if found is not None:
        return found
    if email.in_reply_to or email.references or REPLY_PREFIX.match(email.subject):
        return (
            Request.objects.filter(contact__in=[c.pk for c in contacts], state=Request.State.OPEN)
            .select_related("client")
            .order_by("-received_at", "-id")
            .first()
        )
    return None


def _email_body(email: InboundEmail) -> str:
    return email.text.strip() or nh3.clean(email.html_sanitised, tags=set()).strip() or "-"


def _reply_record(email: InboundEmail, request: Request, contact: Contact) -> None:
    """A client's reply on an open request: on the request, on the timeline, and an alert for
    the account owner, who answers from the request page (P14)."""
    email.request = request
    email.workspace_id = request.workspace_id
    email.save(update_fields=["request", "workspace"])
    if request.contact_id is None:
        # The answer goes to whoever wrote; a request logged without a contact now has one.
        request.contact = contact
        request.save(update_fields=["contact", "updated_at"])
    timeline_record(
        client=request.client,
        verb="request.client_replied",
        actor_contact=contact,
        subject=request,
        data={"name": contact.name, "subject": request.subject_data},
    )
    if request.first_response_at is not None:
        # Answered before: the client's reply is waiting for an answer of its own, owed within
        # the response target like the request was (P14) and kept by the next answer.
        eta, _alert_at = request_eta(client=request.client, received_at=email.received_at)
        commitment_open(
            client=request.client,
            kind=Commitment.Kind.REPLY,
            wording=text_ref(
                "commitment.answer_reply",
                name=contact.name,
                subject=request.subject_ref or request.subject[:200],
            ),
            due_at=eta,
            project=request.project,
            request=request,
            dedupe_key=f"reply:{request.pk}:{email.pk}",
            actor=None,
        )
    client_wrote_announce(
        message=email, request=request, contact=contact, text=quote_split(_email_body(email))[0]
    )
    alert_raise(
        workspace=request.workspace_id,
        kind=Alert.Kind.REPLY_RECEIVED,
        dedupe_key=f"reply_received:{email.pk}",
        client=request.client,
        assignee=request.client.account_owner_id,
        subject=request,
        data={"name": contact.name, "subject": request.subject_data},
        severity=Alert.Severity.WARNING,
    )


def _request_open(email: InboundEmail, contact: Contact) -> Request:
    """A new request of ``contact``'s client made from ``email``, which now points to it."""
    request = request_receive(
        client=contact.client,
        contact=contact,
        source=Request.Source.EMAIL,
        subject=email.subject.strip() or text_ref("request.no_subject"),
        body=_email_body(email),
        received_at=email.received_at,
        message_id=email.message_id,
    )
    email.request = request
    email.workspace_id = request.workspace_id
    email.save(update_fields=["request", "workspace"])
    return request


@transaction.atomic
def inbound_email_receive(
    *,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html: str = "",
    message_id: str = "",
    received_at: datetime | None = None,
    sender_name: str = "",
    in_reply_to: str = "",
    references: str = "",
    workspace: Workspace | None = None,
    mailbox: Mailbox | None = None,
) -> InboundEmail:
    """Keep an inbound email, then thread it to its client and request.

    The workspace is the one given (mail read from a workspace's own mailbox is always that
    workspace's), else the one whose token is in the recipient's plus-address, else none
    (server admins see those in the Django admin). A reply to an open request (see
    :func:`_request_threaded`) is shown on it and alerts the account owner; a reply to a closed
    request opens a new one, as does a new email from a known contact. An unknown sender lands
    on the Unmatched page and raises no error: nothing is dropped. The same Message-ID is kept
    once per workspace (a webhook retried, a message read twice).
    """
    received_at = received_at or timezone.now()
    workspace = workspace or _workspace_of_recipient(recipient)
    if message_id:
        same = InboundEmail.objects.filter(message_id=message_id[:300])
        # Per workspace: one message sent to two workspaces is kept by each. Without a token
        # the workspace is known only after matching, so the recipient tells repeats apart.
        same = (
            same.filter(workspace=workspace)
            if workspace is not None
            else same.filter(recipient=recipient[:254])
        )
        duplicate = same.first()
        if duplicate is not None:
            return duplicate
    email = InboundEmail.objects.create(
        workspace=workspace,
        mailbox=mailbox,
        received_at=received_at,
        sender=sender.strip().lower()[:254],
        sender_name=sender_name.strip()[:200],
        recipient=recipient[:254],
        subject=subject[:300],
        text=text,
        html_sanitised=sanitise_html(html) if html else "",
        message_id=message_id[:300],
        in_reply_to=in_reply_to.strip()[:300],
        references=references.strip()[:5000],
    )
    candidates = Contact.objects.filter(
        email__iexact=email.sender, archived_at__isnull=True, client__archived_at__isnull=True
    )
    if workspace is not None:
        candidates = candidates.filter(workspace=workspace)
    contacts = list(candidates.select_related("client__workspace").order_by("id"))
    request = _request_threaded(email, contacts)
    if request is not None:
        contact = next(c for c in contacts if c.client_id == request.client_id)
        if request.state == Request.State.OPEN:
            _reply_record(email, request, contact)
            return email
        # A reply to a closed request is a new request, linked by its subject.
        _request_open(email, contact)
        return email
    if len({c.client_id for c in contacts}) == 1:
        _request_open(email, contacts[0])
    elif email.workspace_id is not None:
        # Never dropped: it waits on the Unmatched page, and the provider is told.
        alert_raise(
            workspace=email.workspace_id,
            kind=Alert.Kind.INBOUND_UNMATCHED,
            dedupe_key=f"inbound_unmatched:{email.pk}",
            subject=email,
            data={"sender": email.sender, "subject": email.subject},
            severity=Alert.Severity.INFO,
        )
    return email


def _unmatched_handled(email: InboundEmail, actor: User, *, discarded: bool) -> None:
    email.handled_at = timezone.now()
    email.handled_by = actor
    if discarded:
        email.discarded_at = email.handled_at
    email.save(update_fields=["request", "handled_at", "handled_by", "discarded_at"])
    alerts_resolve_for(subject=email, kinds=[Alert.Kind.INBOUND_UNMATCHED])


def _unmatched_check(email: InboundEmail) -> None:
    if email.request_id is not None or email.handled_at is not None:
        raise ApplicationError(_("This email has already been dealt with."), field="email")


@transaction.atomic
def unmatched_assign(*, email: InboundEmail, contact: Contact, actor: User) -> Request:
    """A provider says who an unmatched email is from: it becomes that client's request."""
    _unmatched_check(email)
    if email.workspace_id != contact.workspace_id:
        raise ApplicationError(_("Choose a contact of this workspace."), field="contact")
    request = request_receive(
        client=contact.client,
        contact=contact,
        source=Request.Source.EMAIL,
        subject=email.subject.strip() or text_ref("request.no_subject"),
        body=_email_body(email),
        received_at=email.received_at,
        actor=actor,
        message_id=email.message_id,
    )
    email.request = request
    _unmatched_handled(email, actor, discarded=False)
    return request


@transaction.atomic
def unmatched_to_lead(*, email: InboundEmail, actor: User, name: str) -> Request:
    """A new lead from an unmatched email: a client (status lead) and its contact, named
    ``name`` (the sender's display name or address when left empty), and their request."""
    _unmatched_check(email)
    if email.workspace_id is None:
        raise ApplicationError(_("This email belongs to no workspace."), field="email")
    name = name.strip() or email.sender_name or email.sender
    workspace = Workspace.objects.get(pk=email.workspace_id)
    client = client_create(
        workspace=workspace, actor=actor, name=name[:200], status=Client.Status.LEAD
    )
    contact = contact_create(client=client, actor=actor, name=name[:200], email=email.sender)
    return unmatched_assign(email=email, contact=contact, actor=actor)


@transaction.atomic
def unmatched_discard(*, email: InboundEmail, actor: User) -> InboundEmail:
    """Set an unmatched email aside (spam, a newsletter). It is kept, marked discarded, with
    who did it and when."""
    _unmatched_check(email)
    _unmatched_handled(email, actor, discarded=True)
    return email


@transaction.atomic
def orphan_assign(*, email: InboundEmail, workspace: Workspace) -> InboundEmail:
    """The server's admin hands an email that reached no workspace to one: it waits on that
    workspace's Unmatched page like any other, and its provider is told."""
    if email.workspace_id is not None:
        raise ApplicationError(_("This email already belongs to a workspace."), field="email")
    email.workspace = workspace
    email.save(update_fields=["workspace"])
    alert_raise(
        workspace=workspace.pk,
        kind=Alert.Kind.INBOUND_UNMATCHED,
        dedupe_key=f"inbound_unmatched:{email.pk}",
        subject=email,
        data={"sender": email.sender, "subject": email.subject},
        severity=Alert.Severity.INFO,
    )
    return email
