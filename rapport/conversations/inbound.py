"""Inbound email through Anymail's inbound webhooks (any provider Anymail supports)."""

from __future__ import annotations

from typing import Any

from rapport.conversations.inbound_mail import inbound_email_receive


def on_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """Anymail's ``inbound`` signal: keep the email and thread it to its client."""
    message = event.message
    from_email = message.from_email
    inbound_email_receive(
        sender=from_email.addr_spec if from_email else "",
        recipient=", ".join(address.addr_spec for address in (message.to or [])),
        subject=message.subject or "",
        text=message.text or "",
        html=message.html or "",
        message_id=str(message.get("Message-ID", "") or event.event_id or ""),
        received_at=event.timestamp,
    )
