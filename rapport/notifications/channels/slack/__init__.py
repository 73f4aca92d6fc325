"""Slack through Apprise (CHANNEL_SLACK_URL, e.g. slack://TokenA/TokenB/TokenC/{to})."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import ApplicationError
from rapport.notifications.channels.base import AppriseChannel

SLACK_TARGET = re.compile(r"^(#[a-z0-9_\-.]{1,80}|@[A-Za-z0-9_.\-]{1,80}|[CUG][A-Z0-9]{6,20})$")


class SlackChannel(AppriseChannel):
    kind = "slack"
    label = gettext_lazy("Slack")
    address_field = "slack"

    def validate_address(self, value: str) -> str:
        text = value.strip()
        if not SLACK_TARGET.match(text):
            raise ApplicationError(
                _("A Slack target is a #channel, an @user or a channel id."), field="slack"
            )
        return text


channel = SlackChannel()
