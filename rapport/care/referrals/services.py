"""Writes of referrals: who referred a client to us (P34).

A client is referred once: by another client, by a contact of a client, or by a colleague
(a name, optionally an expert of the directory). Recording it again replaces the record.
The chain ``referrer → client`` stays a forest: a client cannot refer itself, nor be
referred by a client it referred (directly or further down); the service refuses both,
naming the field. Recording a contact's referral may thank them, in their language through
their channel, with one outbox row written in the same transaction (ADR 0035).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User, Workspace
from rapport.care.model_referrals import Expert, Referral
from rapport.clients.models import Client, Contact
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.services import (
    notification_queue,
    render_message,
    signature_context,
)

NAME_MAX = 200
NOTE_MAX = 500


def _edges(workspace_id: int, *, without: int) -> dict[int, int]:
    """The workspace's chain as ``client → referrer client`` (one query), without the edge
    of ``without`` (the client whose referral is being written)."""
    rows = (
        Referral.objects.for_workspace(workspace_id)
        .filter(referrer_client__isnull=False)
        .exclude(client_id=without)
        .values_list("client_id", "referrer_client_id")
    )
    return {child: parent for child, parent in rows if parent is not None}


def referral_would_loop(*, workspace_id: int, client_id: int, referrer_id: int) -> bool:
    """Whether ``referrer_id`` referring ``client_id`` closes a loop: the referrer is the
    client itself or was referred, directly or further up, by the client."""
    if referrer_id == client_id:
        return True
    parents = _edges(workspace_id, without=client_id)
    seen: set[int] = set()
    current: int | None = referrer_id
    while current is not None and current not in seen:
        if current == client_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _referrer_check(client: Client, referrer: Client, *, field: str) -> None:
    if referrer.pk == client.pk:
        raise ApplicationError(_("A client cannot refer itself."), field=field)
    if referral_would_loop(
        workspace_id=client.workspace_id, client_id=client.pk, referrer_id=referrer.pk
    ):
        raise ApplicationError(
            _("%(name)s came to you through %(client)s: the chain would go round in a loop.")
            % {"name": referrer.name, "client": client.name},
            field=field,
        )


def referral_thanks_message(*, referral: Referral, contact: Contact) -> tuple[str, str]:
    """The thank-you as ``contact`` would read it (subject, text), in their language: the
    preview of the referral form and the message queued are the same template."""
    subject, text, _html = render_message(
        "referral_thanks",
        {
            "contact": contact,
            "client": contact.client,
            "workspace_name": contact.client.workspace.name,
            "referred": referral.client,
            **signature_context(contact.client.workspace, contact.effective_language),
        },
        contact.effective_language,
        contact.effective_timezone,
    )
    return subject, text


@transaction.atomic
def referral_record(
    *,
    client: Client,
    actor: User | None,
    kind: str,
    referrer_client: Client | None = None,
    referrer_contact: Contact | None = None,
    colleague_name: str = "",
    expert: Expert | None = None,
    referred_on: date | None = None,
    note: str = "",
    thank: bool = False,
) -> Referral:
    """Record who referred ``client``, replacing an earlier record.

    ``kind`` ``client`` needs ``referrer_client``; ``contact`` needs ``referrer_contact`` (its
    client becomes the referring client); ``colleague`` needs ``colleague_name`` or
    ``expert``. Everything named must be of the client's workspace, and the chain must stay
    free of loops. ``referred_on`` is today when not given, never in the future. With
    ``thank`` a contact's referral queues a thank-you to them (once per contact and client).
    """
    # One writer of a workspace's chain at a time, so two referrals written at once cannot
    # close a loop between them (the check reads the chain, the lock keeps it still).
    Workspace.objects.select_for_update().filter(pk=client.workspace_id).first()
    if kind not in Referral.Kind.values:
        raise ApplicationError(_("Say who referred this client."), field="kind")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": NOTE_MAX}, field="note"
        )
    today = timezone.localdate()
    referred_on = referred_on or today
    if referred_on > today:
        raise ApplicationError(_("A referral cannot be in the future."), field="referred_on")
    if expert is not None and expert.workspace_id != client.workspace_id:
        raise ApplicationError(_("Choose an expert of your directory."), field="expert")
    colleague_name = (colleague_name or "").strip()
    if kind == Referral.Kind.CLIENT:
        if referrer_client is None:
            raise ApplicationError(
                _("Choose the client who referred them."), field="referrer_client"
            )
        if referrer_client.workspace_id != client.workspace_id:
            raise ApplicationError(_("Choose one of your clients."), field="referrer_client")
        _referrer_check(client, referrer_client, field="referrer_client")
        referrer_contact, colleague_name, expert = None, "", None
    elif kind == Referral.Kind.CONTACT:
        if referrer_contact is None:
            raise ApplicationError(
                _("Choose the contact who referred them."), field="referrer_contact"
            )
        if referrer_contact.workspace_id != client.workspace_id:
            raise ApplicationError(
                _("Choose a contact of one of your clients."), field="referrer_contact"
            )
        referrer_client = referrer_contact.client
        if referrer_client.pk == client.pk:
            raise ApplicationError(
                _("A contact of this client cannot refer it: choose another client's contact."),
                field="referrer_contact",
            )
        _referrer_check(client, referrer_client, field="referrer_contact")
        colleague_name, expert = "", None
    else:
        if not colleague_name and expert is None:
            raise ApplicationError(
                _("Give the colleague's name or choose them in the directory."),
                field="colleague_name",
            )
        if len(colleague_name) > NAME_MAX:
            raise ApplicationError(
                _("Keep it under %(count)s characters.") % {"count": NAME_MAX},
                field="colleague_name",
            )
        referrer_client, referrer_contact = None, None
    referral = Referral.objects.filter(client=client).first() or Referral(
        workspace_id=client.workspace_id, client=client
    )
    referral.kind = kind
    referral.referrer_client = referrer_client
    referral.referrer_contact = referrer_contact
    referral.colleague_name = colleague_name
    referral.expert = expert
    referral.referred_on = referred_on
    referral.note = note
    referral.recorded_by = actor
    referral.save()
    if thank and referrer_contact is not None and referrer_contact.archived_at is None:
        notification_queue(
            contact=referrer_contact,
            template="referral_thanks",
            context={"referred": client},
            subject=referral,
            dedupe_key=f"referral_thanks:{client.pk}:{referrer_contact.pk}",
        )
        referral.thanked_at = timezone.now()
        referral.save(update_fields=["thanked_at", "updated_at"])
    timeline_record(
        client=client,
        verb="referral.recorded",
        actor=actor,
        subject=referral,
        data={"name": referral.referrer_name},
    )
    return referral


@transaction.atomic
def referral_remove(*, referral: Referral) -> None:
    """Forget who referred a client (a record made by mistake). A thank-you already queued
    is not taken back."""
    referral.delete()
