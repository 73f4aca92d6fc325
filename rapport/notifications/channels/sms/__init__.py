"""SMS through Apprise (Twilio, Vonage, … as CHANNEL_SMS_URL says)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from rapport.notifications.channels.base import AppriseChannel
from rapport.notifications.channels.phone import normalise_phone

if TYPE_CHECKING:
    from rapport.notifications.models import Notification

SMS_MAX = 600  # about four SMS segments: a longer text gets a link to the portal instead


class SmsChannel(AppriseChannel):
    kind = "sms"
    label = gettext_lazy("SMS")
    address_field = "phone"

    def validate_address(self, value: str) -> str:
        return normalise_phone(value, field="phone")

    def build_message(self, notification: Notification) -> tuple[str, str]:
        # SMS has no title: the subject leads the text.
        text = f"{notification.subject}\n{notification.body}".strip()
        if len(text) > SMS_MAX:
            text = text[: SMS_MAX - 1].rstrip() + "…"
        return "", text


channel = SmsChannel()
