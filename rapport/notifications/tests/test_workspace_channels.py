"""A workspace chooses which of the server's channels it offers its clients."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from rapport.accounts.services import workspace_update
from rapport.clients.services import contact_update
from rapport.core.errors import ApplicationError
from rapport.notifications.services import contact_channel

TELEGRAM = {"telegram": "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/{to}"}


def _turn_off(alice, kinds):
    ws = alice.workspace
    workspace_update(
        membership=alice.membership,
        name=ws.name,
        default_currency=ws.default_currency,
        default_language=ws.default_language,
        timezone_name=ws.timezone,
        channels_off=kinds,
    )


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_turned_off_channel_is_refused_at_save(alice, carol):
    _turn_off(alice, ["telegram"])
    with pytest.raises(ApplicationError) as exc:
        contact_update(
            contact=carol, actor=alice.user, telegram="123456789", preferred_channel="telegram"
        )
    assert exc.value.field == "preferred_channel"


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_messages_fall_back_to_email_when_turned_off_later(alice, carol):
    contact_update(
        contact=carol, actor=alice.user, telegram="123456789", preferred_channel="telegram"
    )
    assert contact_channel(carol) == ("telegram", "123456789")
    _turn_off(alice, ["telegram"])
    carol.client.workspace.refresh_from_db()
    assert contact_channel(carol) == ("email", "carol@acme.example")


def test_email_cannot_be_turned_off(alice):
    with pytest.raises(ApplicationError) as exc:
        _turn_off(alice, ["email"])
    assert exc.value.field == "channels_off"


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_settings_page_lists_only_configured_channels(alice_http, alice):
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    assert 'value="telegram"' in page and 'value="sms"' not in page
    response = alice_http.post(
        reverse("accounts:workspace_save"),
        {
            "ws-name": "Alice Design",
            "ws-default_currency": "EUR",
            "ws-default_language": "en",
            "ws-timezone": "Europe/Athens",
        },
    )
    assert response.status_code == 302
    alice.workspace.refresh_from_db()
    assert alice.workspace.channels_off == ["telegram", "webhook"]
