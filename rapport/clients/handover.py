"""Handing a client over to a new account owner, with a note (P27).

The account owner holds the context of a relationship. When it changes, the one who knows
writes down what the next one must know (history, temperament, open promises), the new owner
sees the note on the client page until they mark it read, and the client's contacts are told,
each in their language, who their new contact is. ``client_update`` refuses to change one
owner for another without this, so the note cannot be skipped.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import Membership, User
from rapport.clients.models import Client, Contact, Handover
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.services import contact_channel, notification_queue

NOTE_MAX = 10_000


@transaction.atomic
def handover_record(*, client: Client, actor: User, new_owner: User | None, note: str) -> Handover:
    """Make ``new_owner`` the client's account owner, keeping ``note`` for them.

    Refused, naming the field: no new owner or the current one (``new_owner``), a new owner who
    is not a member of the client's workspace (``new_owner``), an empty or over-long note
    (``note``). On success: the handover row, the client's owner changed, a timeline entry,
    and one outbox message per active contact we can write to, in the contact's language.
    A refusal writes nothing.
    """
    if new_owner is None:
        raise ApplicationError(_("Choose the new account owner."), field="new_owner")
    if new_owner.pk == client.account_owner_id:
        raise ApplicationError(
            _("This person already owns the account; choose someone else."), field="new_owner"
        )
    if not Membership.objects.filter(workspace_id=client.workspace_id, user=new_owner).exists():
        raise ApplicationError(
            _("The account owner must be a member of this workspace."), field="new_owner"
        )
    note = (note or "").strip()
    if not note:
        raise ApplicationError(
            _("Write what the new owner must know: the history, the temperament, the promises."),
            field="note",
        )
    if len(note) > NOTE_MAX:
        raise ApplicationError(
            _("The note has at most %(max)s characters.") % {"max": NOTE_MAX}, field="note"
        )
    # Lock the client so that two handovers at once do not both claim the old owner.
    locked = Client.objects.select_for_update().get(pk=client.pk)
    old_owner = locked.account_owner
    handover = Handover.objects.create(
        workspace_id=client.workspace_id,
        client=locked,
        from_user=old_owner,
        to_user=new_owner,
        written_by=actor,
        note=note,
    )
    locked.account_owner = new_owner
    locked.save(update_fields=["account_owner", "updated_at"])
    client.account_owner = new_owner
    timeline_record(
        client=locked,
        verb="client.handed_over",
        actor=actor,
        subject=handover,
        data={"old": old_owner.name if old_owner else "—", "new": new_owner.name},
    )
    _tell_contacts(locked, handover, new_owner)
    return handover


def _tell_contacts(client: Client, handover: Handover, new_owner: User) -> None:
    contacts = Contact.objects.filter(client=client, archived_at__isnull=True).select_related(
        "client__workspace"
    )
    for contact in contacts:
        try:
            contact_channel(contact)
        except ApplicationError:
            continue  # no address to write to: the portal still names the account owner
        notification_queue(
            contact=contact,
            template="handover_notice",
            context={"owner_name": new_owner.name, "owner_email": new_owner.email},
            subject=handover,
            dedupe_key=f"handover_notice:{handover.pk}:{contact.pk}",
        )


@transaction.atomic
def handover_mark_read(*, handover: Handover, actor: User) -> Handover:
    """The new owner has read the note; it leaves their client page. Only the new owner can
    mark it (``forbidden`` otherwise); marking it twice keeps the first time."""
    if handover.to_user_id != actor.pk:
        raise ApplicationError(_("Only the new account owner can mark this note read."))
    if handover.read_at is None:
        handover.read_at = timezone.now()
        handover.save(update_fields=["read_at", "updated_at"])
    return handover


def handover_unread(*, client: Client, user: User) -> Handover | None:
    """The newest note handed to ``user`` on ``client`` that they have not read (one query)."""
    return (
        Handover.objects.filter(
            workspace_id=client.workspace_id, client=client, to_user=user, read_at__isnull=True
        )
        .select_related("from_user", "written_by")
        .first()
    )


def handover_get(*, workspace_id: int, pk: int) -> Handover | None:
    return Handover.objects.filter(workspace_id=workspace_id, pk=pk).first()
