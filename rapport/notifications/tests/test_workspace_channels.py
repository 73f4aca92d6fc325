"""A workspace chooses which of the server's channels it offers its clients."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.clients.models import Contact
from rapport.clients.services import contact_update
from rapport.conftest import PASSWORD, Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.services import contact_channel
from rapport.notifications.workspace_channels import workspace_channels_update

TELEGRAM = {"telegram": "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/{to}"}


def _turn_off(alice: Persona, kinds: list[str]) -> None:
    workspace_channels_update(membership=alice.membership, channels_off=kinds)


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_turned_off_channel_is_refused_at_save(alice: Persona, carol: Contact) -> None:
    _turn_off(alice, ["telegram"])
    with pytest.raises(ApplicationError) as exc:
        contact_update(
            contact=carol, actor=alice.user, telegram="123456789", preferred_channel="telegram"
        )
    assert exc.value.field == "preferred_channel"


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_messages_fall_back_to_email_when_turned_off_later(alice: Persona, carol: Contact) -> None:
    contact_update(
        contact=carol, actor=alice.user, telegram="123456789", preferred_channel="telegram"
    )
    assert contact_channel(carol) == ("telegram", "123456789")
    _turn_off(alice, ["telegram"])
    carol.client.workspace.refresh_from_db()
    assert contact_channel(carol) == ("email", "carol@acme.example")


def test_email_cannot_be_turned_off(alice: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        _turn_off(alice, ["email"])
    assert exc.value.field == "channels_off"


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_settings_page_lists_only_configured_channels(
    alice_http: HttpClient, alice: Persona
) -> None:
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    assert 'value="telegram"' in page and 'value="sms"' not in page
    response = alice_http.post(reverse("notifications:workspace_channels_save"), {})
    assert response.status_code == 302
    alice.workspace.refresh_from_db()
    # The generic webhook is off on this server (NOTIFICATION_WEBHOOKS_ENABLED), so not listed.
    assert 'value="webhook"' not in page
    assert alice.workspace.channels_off == ["telegram"]
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    assert 'value="telegram"' in page and not re.search(r'value="telegram"[^>]*checked', page)
    response = alice_http.post(
        reverse("notifications:workspace_channels_save"), {"ch-channels": ["telegram"]}
    )
    assert response.status_code == 302
    alice.workspace.refresh_from_db()
    assert alice.workspace.channels_off == []


@override_settings(CHANNEL_URLS=TELEGRAM)
def test_a_channel_the_server_cannot_send_is_refused_on_the_settings_page(
    alice_http: HttpClient, alice: Persona
) -> None:
    response = alice_http.post(
        reverse("notifications:workspace_channels_save"), {"ch-channels": ["sms"]}
    )
    assert response.status_code == 400
    assert response.context["channels_form"].errors["channels"]
    assert "Select a valid choice" in response.content.decode()
    alice.workspace.refresh_from_db()
    assert alice.workspace.channels_off == []


def test_only_the_owner_chooses_the_channels(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    bob_membership = Membership.objects.create(workspace=alice.workspace, user=bob)
    with pytest.raises(ApplicationError):
        workspace_channels_update(membership=bob_membership, channels_off=["telegram"])
