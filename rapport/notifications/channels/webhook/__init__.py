"""A generic JSON webhook through Apprise's json:// plugin, to the contact's own URL."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import ApplicationError
from rapport.notifications.channels.base import AppriseChannel

if TYPE_CHECKING:
    from rapport.notifications.models import Notification


class WebhookChannel(AppriseChannel):
    kind = "webhook"
    label = gettext_lazy("Webhook (JSON)")
    address_field = "webhook_url"

    def is_configured(self) -> bool:
        return True  # the address is the whole destination; no server credentials needed

    def validate_address(self, value: str) -> str:
        text = value.strip()
        parts = urlsplit(text)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ApplicationError(
                _("Enter the full http:// or https:// address of the webhook."), field="webhook_url"
            )
        return text

    def build_url(self, notification: Notification) -> str:
        parts = urlsplit(notification.address)
        scheme = "jsons" if parts.scheme == "https" else "json"
        rest = notification.address.split("://", 1)[1]
        separator = "&" if "?" in rest else "?"
        # The notification id travels as a header, so the receiver can drop a repeat.
        return f"{scheme}://{rest}{separator}+X-Idempotency-Key={notification.idempotency_key}"


channel = WebhookChannel()
