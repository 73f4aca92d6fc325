"""Writes of the greeting page: send the greeting through the outbox, or let the day pass."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Alert, Notification
from rapport.notifications.services import alert_resolve, notification_queue

MAX_CHARS = 4000


@transaction.atomic
def greeting_send(
    *, alert: Alert, contact: Contact | None, message: str, actor: User
) -> Notification:
    """Queue ``message`` to ``contact`` (an outbox row in their language, through their
    channel, inside their contact hours) and mark the alert done.

    Refused: an alert already done or dismissed (field ``message``: it was handled), no
    contact any more or an archived one (``contact``), an empty or too long message
    (``message``). Sending twice queues one message: the row's key is the alert's.
    """
    if alert.state != Alert.State.OPEN:
        raise ApplicationError(_("This greeting was already sent or dismissed."), field="message")
    if contact is None or contact.archived_at is not None:
        raise ApplicationError(
            _("This contact is no longer on the client's list."), field="contact"
        )
    text = message.strip()
    if not text:
        raise ApplicationError(_("Write the greeting before sending it."), field="message")
    if len(text) > MAX_CHARS:
        raise ApplicationError(
            _("Keep the greeting under %(count)s characters.") % {"count": MAX_CHARS},
            field="message",
        )
    notification = notification_queue(
        contact=contact,
        template="greeting",
        context={"message": text, "occasion": alert.data.get("date_kind", "")},
        subject=contact,
        dedupe_key=f"greeting:{alert.pk}",
    )
    alert_resolve(alert=alert, actor=actor)
    return notification


@transaction.atomic
def greeting_dismiss(*, alert: Alert, actor: User) -> Alert:
    """Let the day pass without a message: the alert is dismissed (twice changes nothing)."""
    return alert_resolve(alert=alert, actor=actor, dismiss=True)
