"""The channels a client message can travel through; one package per channel."""

from __future__ import annotations

from rapport.notifications.channels.base import Channel, DeliveryError
from rapport.notifications.channels.email import channel as email
from rapport.notifications.channels.ntfy import channel as ntfy
from rapport.notifications.channels.slack import channel as slack
from rapport.notifications.channels.sms import channel as sms
from rapport.notifications.channels.telegram import channel as telegram
from rapport.notifications.channels.webhook import channel as webhook
from rapport.notifications.channels.whatsapp import channel as whatsapp

CHANNELS: dict[str, Channel] = {
    c.kind: c for c in (email, sms, telegram, whatsapp, slack, ntfy, webhook)
}


def channel_for(kind: str) -> Channel:
    return CHANNELS[kind]


__all__ = ["CHANNELS", "Channel", "DeliveryError", "channel_for"]
