"""WhatsApp through Apprise (CHANNEL_WHATSAPP_URL, e.g. the WhatsApp Cloud API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from rapport.notifications.channels.base import AppriseChannel
from rapport.notifications.channels.phone import normalise_phone

if TYPE_CHECKING:
    from rapport.notifications.models import Notification


class WhatsAppChannel(AppriseChannel):
    kind = "whatsapp"
    label = gettext_lazy("WhatsApp")
    address_field = "whatsapp"

    def validate_address(self, value: str) -> str:
        return normalise_phone(value, field="whatsapp")

    def target(self, notification: Notification) -> str:
        # Apprise's WhatsApp target is the number without the "+".
        return notification.address.lstrip("+")


channel = WhatsAppChannel()
