"""Email through Django's MAILERS (SMTP by default, Anymail providers by configuration)."""

from __future__ import annotations

import contextlib
import email.policy
import smtplib
from email.message import Message
from email.policy import Policy
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import ApplicationError
from rapport.notifications.channels.base import Channel, DeliveryError
from rapport.notifications.sender import email_headers_for

if TYPE_CHECKING:
    from rapport.notifications.models import Notification


# RFC 5322's limit for a line; a subject (at most 300 characters) fits on one line.
HEADER_LINE_LIMIT = 998


class _EmailMessage(EmailMultiAlternatives):
    """Headers are not folded at 78 characters: Python 3.12's folder loses the space before
    an encoded word it moves to the next line ("…a începe:Întrebări") or doubles it ("de
    prăjituri" with two spaces), so long non-English subjects reached readers misspelt."""

    def message(self, *, policy: Policy[Message[str, str]] | None = None) -> Any:
        base = policy or email.policy.default
        return super().message(policy=base.clone(max_line_length=HEADER_LINE_LIMIT))


def message_id(notification: Notification) -> str:
    """The notification id as the Message-ID: the idempotency key a relay can dedupe on."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "rapport.local"
    return f"<{notification.idempotency_key}@{domain}>"


class EmailChannel(Channel):
    kind = "email"
    label = gettext_lazy("Email")
    address_field: ClassVar[str] = "email"

    def validate_address(self, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ApplicationError(_("Enter a valid email address."), field="email") from exc
        return value.strip().lower()

    def build_message(self, notification: Notification) -> EmailMultiAlternatives:
        from_email, reply_to = email_headers_for(notification)
        message = _EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=from_email,
            to=[notification.address],
            reply_to=[reply_to] if reply_to else None,
            headers={
                "Message-ID": message_id(notification),
                "X-Rapport-Idempotency-Key": notification.idempotency_key,
                "Content-Language": notification.language,
            },
        )
        if notification.html:
            message.attach_alternative(notification.html, "text/html")
        return message

    def open_session(self) -> Any:
        connection = mailers.default
        connection.open()
        return connection

    def close_session(self, session: Any) -> None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            session.close()

    def send(self, notification: Notification, session: Any = None) -> None:
        try:
            message = self.build_message(notification)
            sent = session.send_messages([message]) if session is not None else message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"recipient refused: {exc}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        if sent != 1:
            raise DeliveryError("the mailer did not accept the message")


channel = EmailChannel()
