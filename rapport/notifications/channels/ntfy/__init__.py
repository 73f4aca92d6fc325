"""ntfy through Apprise (CHANNEL_NTFY_URL, e.g. ntfys://ntfy.sh/{to})."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import ApplicationError
from rapport.notifications.channels.base import AppriseChannel

TOPIC = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


class NtfyChannel(AppriseChannel):
    kind = "ntfy"
    label = gettext_lazy("ntfy")
    address_field = "ntfy_topic"

    def validate_address(self, value: str) -> str:
        text = value.strip()
        if not TOPIC.match(text):
            raise ApplicationError(
                _("An ntfy topic has letters, digits, - and _ only."), field="ntfy_topic"
            )
        return text


channel = NtfyChannel()
