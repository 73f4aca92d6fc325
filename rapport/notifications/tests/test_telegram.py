"""Capturing a contact's Telegram chat id: the bot's deep link, and Telegram's update posted
over real HTTP to the live server."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.notifications.telegram import contact_for_start, deep_link, start_token

SECRET = "telegram-test-secret-0123456789"


@pytest.fixture
def bot(settings: SettingsWrapper) -> None:
    settings.TELEGRAM_BOT_NAME = "RapportTestBot"
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET


def update(text: str, chat_id: Any = 555123456, chat_type: str = "private") -> dict[str, Any]:
    """An update shaped like the Bot API's (only the fields the webhook reads, and some more)."""
    return {
        "update_id": 10000,
        "message": {
            "message_id": 1,
            "date": 1795000000,
            "from": {"id": 555123456, "is_bot": False, "first_name": "Carol"},
            "chat": {"id": chat_id, "type": chat_type, "first_name": "Carol"},
            "text": text,
        },
    }


def post(live_server: LiveServer, body: dict[str, Any], secret: str = SECRET) -> int:
    """POST over a real socket to the live server, as Telegram's servers do."""
    parts = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(
            "POST",
            reverse("notifications:telegram_updates"),
            body=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": secret,
            },
        )
        response = connection.getresponse()
        response.read()
        return int(response.status)
    finally:
        connection.close()


def test_tokens_are_bound_to_their_contact(bot: None) -> None:
    token = start_token(42)
    assert len(token) <= 64 and token.startswith("42_")
    assert deep_link(42) == f"https://t.me/RapportTestBot?start={token}"
    assert contact_for_start(f"/start {token}") == 42
    assert contact_for_start(f"/start 43_{token[3:]}") is None  # another contact's id
    assert contact_for_start("/start 42_AAAAAAAAAAAAAAAAAAAAAA") is None
    assert contact_for_start("hello") is None


def test_no_link_without_a_bot(settings: SettingsWrapper) -> None:
    settings.TELEGRAM_BOT_NAME = ""
    assert deep_link(42) == ""


@pytest.mark.django_db(transaction=True)
def test_the_update_records_the_chat_for_the_contact(
    bot: None, live_server: LiveServer, carol: Contact
) -> None:
    token = start_token(carol.pk)
    # A wrong secret: refused, nothing written.
    assert post(live_server, update(f"/start {token}"), secret="wrong") == 403
    # A group chat, a forged token, a message that is not /start: acknowledged and ignored.
    assert post(live_server, update(f"/start {token}", chat_type="group")) == 200
    assert post(live_server, update(f"/start {carol.pk}_{'A' * 22}")) == 200
    assert post(live_server, update("hello")) == 200
    assert Contact.objects.get(pk=carol.pk).telegram == ""
    assert post(live_server, update(f"/start {token}")) == 200
    assert Contact.objects.get(pk=carol.pk).telegram == "555123456"


def test_bad_json_is_a_clear_400(bot: None, client: HttpClient) -> None:
    response = client.post(
        reverse("notifications:telegram_updates"),
        data="not json",
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET,
    )
    assert response.status_code == 400


def test_the_contact_form_offers_the_link(
    bot: None, alice_http: HttpClient, alice: Persona, carol: Contact
) -> None:
    page = alice_http.get(reverse("clients:contact_edit", args=[carol.pk])).content.decode()
    assert deep_link(carol.pk) in page
