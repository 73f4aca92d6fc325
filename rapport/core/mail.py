"""Email from the apps below notifications (accounts), rendered here and written to the outbox.

Every outgoing message is an outbox row (DESIGN.md, "Messages"). The outbox belongs to
notifications, which sits above accounts in the layers (ADR 0013), so an invitation cannot
write a ``Notification`` itself: it renders the email here and sends ``outbox_email``, whose
one receiver (``notifications.members.outbox_email_write``) writes the row in the caller's
transaction. A rolled-back action therefore sends nothing, and a sent one is retried, logged
and deduplicated like any other message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation

from rapport.core.clock import zone_or_utc

outbox_email = Signal()
"""An email to write to the outbox, in the sender's transaction.

Arguments: ``sender`` (None), ``workspace_id``, ``to`` (the address), ``name`` (whom the
delivery log shows), ``user_id`` (the member it is for, or None), ``kind`` (the template's
name), ``language``, ``subject``, ``body``, ``html``, ``dedupe_key`` (or None).
Receiver: ``notifications.members.outbox_email_write``.
"""


def email_queue(
    *,
    workspace_id: int,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    name: str = "",
    user_id: int | None = None,
    tz: str = "UTC",
    dedupe_key: str | None = None,
) -> None:
    """Render ``<template>_subject.txt`` / ``.txt`` / ``.html`` in ``language`` (dates in
    ``tz``) and write it to the outbox, to be sent at once by the deliverer.

    Call it inside the business transaction. Raises ``ImproperlyConfigured`` if no outbox
    receives it: a message is never silently dropped.
    """
    with translation.override(language), timezone.override(zone_or_utc(tz)):
        subject = " ".join(
            render_to_string(f"{template}_subject.txt", context, using="text").split()
        )
        body = render_to_string(f"{template}.txt", context, using="text")
        html = render_to_string(f"{template}.html", context)
    responses = outbox_email.send(
        sender=None,
        workspace_id=workspace_id,
        to=to,
        name=name or to,
        user_id=user_id,
        kind=template.rsplit("/", 1)[-1],
        language=language,
        subject=subject,
        body=body,
        html=html,
        dedupe_key=dedupe_key,
    )
    if not responses:
        raise ImproperlyConfigured("No outbox receives outbox_email (notifications not loaded).")
