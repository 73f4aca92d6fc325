"""Cancelling a commitment, and the client's answer to it in the portal (P17).

A promise the provider drops is not a promise kept: a cancellation needs a reason, which the
client reads in the portal, and counts as broken in the keeping rate until a contact of the
client agrees to it there (``cancel_agreed``, neutral). A disagreement is recorded too, and the
cancellation stays counted as broken.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.core.errors import ApplicationError
from rapport.core.texts import TextRef, text_parts
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

REASON_MAX = 500


@transaction.atomic
def commitment_cancel(
    *,
    commitment: Commitment,
    actor: User | None,
    reason: str | TextRef,
    tell_client: bool = False,
) -> bool:
    """Cancel an open commitment, saying why; False when it was no longer open.

    Counts as broken until the client agrees in the portal (``commitment_cancel_answer``).
    With ``tell_client`` (a provider cancelling by hand) the client is told at once, in their
    language, and asked to answer in the portal: the contact who confirmed the promise, else
    the client's first active contact. Cancellations made by the system (an archived milestone,
    a replaced quote) pass False, and their ``reason`` as a ``text_ref`` so that each reader
    sees it in their language (ADR 0021).
    """
    reason, reason_ref = text_parts(reason)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say why it is cancelled; the client reads this."), field="reason")
    if len(reason) > REASON_MAX:
        raise ApplicationError(
            _("At most %(max)s characters.") % {"max": REASON_MAX}, field="reason"
        )
    now = timezone.now()
    # Conditional: of two concurrent closes, one wins.
    changed = Commitment.objects.filter(pk=commitment.pk, state=Commitment.State.OPEN).update(
        state=Commitment.State.CANCELLED,
        resolved_at=now,
        reason=reason,
        reason_ref=reason_ref,
        updated_at=now,
    )
    if changed:
        commitment.state = Commitment.State.CANCELLED
        commitment.resolved_at = now
        commitment.reason = reason
        commitment.reason_ref = reason_ref
        timeline_record(
            client=commitment.client,
            verb="commitment.cancelled",
            actor=actor,
            subject=commitment,
            data={"wording": commitment.wording_data, "reason": commitment.reason_data},
        )
        if tell_client and commitment.kind not in Commitment.NOT_OWED_KINDS:
            _tell_client(commitment)
    return bool(changed)


def _tell_client(commitment: Commitment) -> None:
    contact = commitment.confirmed_by
    if contact is None or contact.archived_at is not None:
        contact = (
            Contact.objects.filter(client_id=commitment.client_id, archived_at__isnull=True)
            .order_by("id")
            .first()
        )
    if contact is None:
        return  # no one to tell: the portal still shows it, and the rate counts it broken
    notification_queue(
        contact=contact,
        template="promise_cancelled",
        context={"commitment": commitment},
        subject=commitment,
        dedupe_key=f"promise_cancelled:{commitment.pk}",
    )


@transaction.atomic
def commitment_cancel_answer(
    *, commitment: Commitment, contact: Contact, agree: bool
) -> Commitment:
    """A contact of the client agrees (or not) to a cancellation, in the portal.

    Agreed, the cancellation is neutral in the keeping rate (``cancel_agreed``); disagreed, it
    stays counted as broken. Either way who answered and when is recorded; the first answer
    stands.
    """
    if (
        commitment.client_id != contact.client_id
        or commitment.workspace_id != contact.workspace_id
        or commitment.kind in Commitment.NOT_OWED_KINDS
    ):
        raise ApplicationError(_("No such cancellation."), code="not_found")
    now = timezone.now()
    answered = Commitment.objects.filter(
        pk=commitment.pk, state=Commitment.State.CANCELLED, cancel_answered_at__isnull=True
    ).update(
        state=Commitment.State.CANCEL_AGREED if agree else Commitment.State.CANCELLED,
        cancel_answered_at=now,
        cancel_answered_by=contact,
        updated_at=now,
    )
    if not answered:
        raise ApplicationError(_("This cancellation has already been answered."), field="answer")
    commitment.refresh_from_db()
    # The provider hears the answer (P17): an agreement makes the cancellation neutral, a
    # refusal means a conversation is due.
    alert_raise(
        workspace=commitment.workspace_id,
        kind=Alert.Kind.CANCEL_ANSWERED,
        dedupe_key=f"cancel_answered:{commitment.pk}",
        client=commitment.client,
        assignee=commitment.owner_id or commitment.client.account_owner_id,
        subject=commitment,
        data={
            "name": contact.name,
            "wording": commitment.wording_data,
            "agreed": agree,
        },
        severity=Alert.Severity.INFO if agree else Alert.Severity.WARNING,
    )
    timeline_record(
        client=commitment.client,
        verb="commitment.cancel_agreed" if agree else "commitment.cancel_disagreed",
        actor_contact=contact,
        subject=commitment,
        data={"name": contact.name, "wording": commitment.wording_data},
    )
    return commitment
