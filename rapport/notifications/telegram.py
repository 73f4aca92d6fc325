"""Capturing a contact's Telegram chat id through the bot's deep link.

A Telegram bot can only write to a chat that wrote to it first, and people know their
@username, not their chat id. So the provider sends the contact a link
``https://t.me/<bot>?start=<token>``; opening it and pressing Start makes Telegram post an update
(``/start <token>``) to this server's webhook, which names the chat. The token is the contact's
id with an HMAC of it (Telegram allows 64 characters of ``A-Z a-z 0-9 _ -``), so a stranger can
neither guess another contact's link nor bind their chat to someone else.

The webhook is public, like Anymail's inbound one, and checked by the secret Telegram sends in
``X-Telegram-Bot-Api-Secret-Token`` (set with ``setWebhook``; docs/deploy.md). Notifications
sits below clients, so the capture is announced with ``telegram_chat_started`` and the clients
app writes the contact.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from base64 import urlsafe_b64encode
from typing import Any

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

# Sent with contact_id (int) and chat_id (str) once a contact's link was opened.
telegram_chat_started = Signal()

SALT = "rapport.notifications.telegram.start"
START = re.compile(r"^/start(?:@\w+)?\s+(\d{1,18})_([A-Za-z0-9_-]{22})$")


def _signature(contact_id: int) -> str:
    digest = salted_hmac(SALT, str(contact_id), algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode()[:22]


def start_token(contact_id: int) -> str:
    """The deep link's start parameter for this contact."""
    return f"{contact_id}_{_signature(contact_id)}"


def deep_link(contact_id: int) -> str:
    """``https://t.me/<bot>?start=<token>``, or "" when the server has no bot set up."""
    bot = str(settings.TELEGRAM_BOT_NAME or "").lstrip("@")
    if not bot or not settings.TELEGRAM_WEBHOOK_SECRET:
        return ""
    return f"https://t.me/{bot}?start={start_token(contact_id)}"


def contact_for_start(text: str) -> int | None:
    """The contact id a ``/start <token>`` message carries, if the token is genuine."""
    match = START.match(text.strip())
    if match is None:
        return None
    contact_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), _signature(contact_id)):
        return None
    return contact_id


@csrf_exempt
@require_POST
def telegram_updates(request: HttpRequest) -> HttpResponse:
    """Telegram's webhook: a ``/start <token>`` from a private chat records that chat for the
    contact. Anything else is acknowledged and ignored, so Telegram does not retry it."""
    secret = str(settings.TELEGRAM_WEBHOOK_SECRET or "")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse(status=403)
    try:
        update: Any = json.loads(request.body)
        message = update.get("message") or {}
        chat = message.get("chat") or {}
        text = str(message.get("text") or "")
        chat_id = chat.get("id")
    except (ValueError, AttributeError):
        return JsonResponse({"error": "not a Telegram update"}, status=400)
    if chat.get("type") != "private" or not isinstance(chat_id, int):
        return JsonResponse({"ok": True})
    contact_id = contact_for_start(text)
    if contact_id is None:
        return JsonResponse({"ok": True})
    telegram_chat_started.send(sender=None, contact_id=contact_id, chat_id=str(chat_id))
    logger.info("telegram chat %s recorded for contact %s", chat_id, contact_id)
    return JsonResponse({"ok": True})
