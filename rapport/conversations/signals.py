"""What happens to conversations that apps above them act on (ADR 0013, ADR 0032).

``conversations`` sits below ``care`` in the layers, so it cannot call care's tone reader; it
says that a client wrote, and care's receiver reads the tone (P23, P24).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.dispatch import Signal

if TYPE_CHECKING:
    from rapport.clients.models import Contact
    from rapport.conversations.models import InboundEmail, Request

logger = logging.getLogger(__name__)

client_wrote = Signal()
"""A client's own words arrived: a portal or email request (``services.request_receive``) or
an email reply on an open request (``inbound_mail._reply_record``).

Arguments: ``sender`` (the row's class), ``message`` (the ``Request`` or ``InboundEmail`` that
holds the words; it has the tone fields), ``request`` (the request they belong to),
``contact`` (who wrote, or None), ``text`` (the new words only: an email's quoted tail is
left out, it is the provider's earlier message).
Receivers: ``care.upset.receivers.tone_read`` labels the words and raises the client-upset
alert for an unhappy or hostile message.
"""


def client_wrote_announce(
    *, message: Request | InboundEmail, request: Request, contact: Contact | None, text: str
) -> None:
    """Send :data:`client_wrote` without ever costing the message (ADR 0032).

    Receivers run inside the caller's transaction (their alert commits with the message) but
    in a savepoint of their own: whatever a receiver does wrong (a classifier that raises, a
    failed write) is rolled back and logged, and the message is stored all the same.
    """
    if not text.strip():
        return
    try:
        with transaction.atomic():
            client_wrote.send(
                sender=type(message), message=message, request=request, contact=contact, text=text
            )
    except Exception:
        logger.exception(
            "reading the tone of %s %s failed; the message is kept unread",
            type(message).__name__,
            message.pk,
        )
