"""Telegram through Apprise (CHANNEL_TELEGRAM_URL, e.g. tgram://BOT_TOKEN/{to})."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import ApplicationError
from rapport.notifications.channels.base import AppriseChannel

# A numeric chat id (negative for groups) or a public @username of 5-32 characters.
CHAT_ID = re.compile(r"^(-?\d{5,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")


class TelegramChannel(AppriseChannel):
    kind = "telegram"
    label = gettext_lazy("Telegram")
    address_field = "telegram"

    def validate_address(self, value: str) -> str:
        text = value.strip()
        if not CHAT_ID.match(text):
            raise ApplicationError(
                _("A Telegram chat id is a number (e.g. 123456789) or an @username."),
                field="telegram",
            )
        return text


channel = TelegramChannel()
