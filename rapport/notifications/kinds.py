"""The channels a contact can prefer. Notifications owns them (one package per channel under
``channels/``); ``clients.Contact.preferred_channel`` takes its choices from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    # A person's preference for talking: written messages go by SMS or email (contact_channel).
    PHONE = "phone", _("Phone call")
    SLACK = "slack", _("Slack")
    NTFY = "ntfy", _("ntfy")
    WEBHOOK = "webhook", _("Webhook")
