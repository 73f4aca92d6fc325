"""Webhook targets a tenant cannot abuse: private addresses refused when saved and when sent,
the checked address pinned for the request, no Apprise option from a tenant's text, and the
webhook channel off unless the server enables it. Real HTTP on 127.0.0.1, nothing mocked."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create, contact_update
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.channels import DeliveryError
from rapport.notifications.channels.telegram import channel as telegram_channel
from rapport.notifications.channels.webhook import _PinnedHTTP
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Notification
from rapport.notifications.targets import Target, is_public
from rapport.notifications.tests.conftest import HookServer

TELEGRAM_URL = "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/{to}"

PRIVATE_URLS = [
    "http://127.0.0.1/hook",
    "http://10.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/hook",
    "http://localhost:8000/hook",  # a name that resolves to 127.0.0.1 (and ::1)
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
    "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, mapped
    "http://[64:ff9b::a9fe:a9fe]/",  # 169.254.169.254 through NAT64
    "http://[2002:7f00:1::]/",  # 127.0.0.1 through 6to4
    "http://0.0.0.0:80/",
    "http://224.0.0.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://192.168.1.10/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://240.0.0.1/",
    "http://2130706433/",  # 127.0.0.1 written as one number
]


@pytest.fixture
def webhooks_on(settings: SettingsWrapper) -> None:
    settings.NOTIFICATION_WEBHOOKS_ENABLED = True
    settings.NOTIFICATION_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_targets_are_refused_when_saved(
    webhooks_on: None, alice: Persona, acme: Client, carol: Contact, url: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        contact_update(
            contact=carol, actor=alice.user, webhook_url=url, preferred_channel="webhook"
        )
    assert exc.value.field == "webhook_url"
    assert "public" in str(exc.value) or "could not be found" in str(exc.value)
    with pytest.raises(ApplicationError) as exc:
        contact_create(
            client=acme, actor=alice.user, name="Dimitris", email="d@acme.example", webhook_url=url
        )
    assert exc.value.field == "webhook_url"
    stored = Contact.objects.get(pk=carol.pk)
    assert (stored.webhook_url, stored.preferred_channel) == ("", "email")
    assert not Contact.objects.filter(name="Dimitris").exists()


def test_public_addresses_pass_and_private_ones_fail() -> None:
    public = ["1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1"]
    private = ["127.0.0.2", "::", "::1", "169.254.0.1", "172.16.5.4", "ff02::1", "198.18.0.1"]
    assert all(is_public(ipaddress.ip_address(a)) for a in public)
    assert not any(is_public(ipaddress.ip_address(a)) for a in private)


def test_credentials_in_a_webhook_url_are_refused(
    webhooks_on: None, alice: Persona, carol: Contact
) -> None:
    with pytest.raises(ApplicationError) as exc:
        contact_update(contact=carol, actor=alice.user, webhook_url="https://u:p@1.1.1.1/x")
    assert exc.value.field == "webhook_url"


def test_the_server_setting_allows_local_targets(
    settings: SettingsWrapper, alice: Persona, carol: Contact
) -> None:
    """NOTIFICATION_ALLOW_PRIVATE_TARGETS (tests and development only) lifts the refusal."""
    settings.NOTIFICATION_WEBHOOKS_ENABLED = True
    settings.NOTIFICATION_ALLOW_PRIVATE_TARGETS = True
    contact_update(
        contact=carol,
        actor=alice.user,
        webhook_url="http://localhost:8000/hook",
        preferred_channel="webhook",
    )
    assert Contact.objects.get(pk=carol.pk).webhook_url == "http://localhost:8000/hook"


def test_webhooks_are_off_unless_the_server_enables_them(
    settings: SettingsWrapper, alice: Persona, carol: Contact
) -> None:
    assert settings.NOTIFICATION_WEBHOOKS_ENABLED is False  # the default
    with pytest.raises(ApplicationError) as exc:
        contact_update(
            contact=carol,
            actor=alice.user,
            webhook_url="https://1.1.1.1/hook",
            preferred_channel="webhook",
        )
    assert exc.value.field == "preferred_channel"


def _webhook_row(contact: Contact, url: str) -> Notification:
    return Notification.objects.create(
        workspace_id=contact.workspace_id,
        client=contact.client,
        contact=contact,
        recipient_name=contact.name,
        kind="test",
        channel="webhook",
        address=url,
        language="en",
        subject="Progress",
        body="News.\n",
        urgent=True,
        not_before=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
    )


def test_a_private_target_is_refused_again_when_sending(
    settings: SettingsWrapper, hook_server: HookServer, carol: Contact
) -> None:
    """A row that reached the outbox anyway (saved while the server allowed it, or written
    another way) is not sent: it fails for good and falls back to email."""
    notification = _webhook_row(carol, hook_server.url())
    settings.NOTIFICATION_ALLOW_PRIVATE_TARGETS = False
    deliver_due(worker="w")
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    assert "private or reserved" in notification.last_error
    assert hook_server.received == []
    assert Notification.objects.get(fallback_of=notification).channel == "email"


def test_webhooks_turned_off_later_are_not_sent(
    settings: SettingsWrapper, hook_server: HookServer, carol: Contact
) -> None:
    notification = _webhook_row(carol, hook_server.url())
    settings.NOTIFICATION_WEBHOOKS_ENABLED = False
    deliver_due(worker="w")
    notification.refresh_from_db()
    assert (notification.state, notification.last_error) == (
        Notification.State.FAILED,
        "webhooks are turned off on this server",
    )
    assert hook_server.received == []


def test_the_checked_address_is_the_one_connected_to(hook_server: HookServer) -> None:
    """The connection goes to the IP that was checked, never to a second resolution of the
    name (DNS rebinding): a name that resolves nowhere still reaches the pinned 127.0.0.1,
    and the name is what the server sees in Host."""
    target = Target(
        scheme="http", host="rebound.invalid", port=hook_server.port, path="/pin", ip="127.0.0.1"
    )
    connection = _PinnedHTTP(target, timeout=5)
    try:
        connection.request("POST", target.path, body=b"{}")
        assert connection.getresponse().status == 200
    finally:
        connection.close()
    [request] = hook_server.received
    assert request.path == "/pin"
    assert request.headers["host"] == f"rebound.invalid:{hook_server.port}"


def test_a_name_is_sent_to_with_its_host_header(hook_server: HookServer, carol: Contact) -> None:
    notification = _webhook_row(carol, f"http://localhost:{hook_server.port}/by-name")
    assert deliver_due(worker="w") == 1
    [request] = hook_server.received
    assert request.headers["host"] == f"localhost:{hook_server.port}"
    assert request.headers["x-idempotency-key"] == notification.idempotency_key


def test_apprise_options_in_a_webhook_url_do_not_reach_the_request(
    hook_server: HookServer, alice: Persona, carol: Contact
) -> None:
    """Apprise's json:// read ``method=``, ``+Header=``, ``-field=``, ``:field=`` and timeouts
    from the URL. The webhook is no longer sent through Apprise: the query is the endpoint's
    own, passed along as it is, and the request is the one Rapport builds."""
    url = hook_server.url("/hook?method=GET&+X-Evil=1&-title=&:message=pwned&rto=0&verify=no")
    contact_update(contact=carol, actor=alice.user, webhook_url=url, preferred_channel="webhook")
    notification = _webhook_row(carol, url)
    assert deliver_due(worker="w") == 1
    [request] = hook_server.received
    assert request.method == "POST"
    assert "x-evil" not in request.headers
    assert request.path == "/hook?method=GET&+X-Evil=1&-title=&:message=pwned&rto=0&verify=no"
    assert request.json() == {
        "version": "1.0",
        "title": "Progress",
        "message": "News.",
        "type": "info",
    }
    assert request.headers["x-idempotency-key"] == notification.idempotency_key


@pytest.mark.parametrize(
    "address",
    [
        "987654321?method=GET",
        "987654321/+Header=1",
        "987654321&rto=0",
        "@carol_g?verify=no",
        "987654321#x",
    ],
)
def test_apprise_options_in_an_address_do_not_reach_apprise(
    settings: SettingsWrapper, alice: Persona, carol: Contact, address: str
) -> None:
    """Refused when saved; and a row carrying one anyway is refused when the URL is built, so
    Apprise only ever sees the server's template, the checked address and the server's cap."""
    settings.CHANNEL_URLS = {**settings.CHANNEL_URLS, "telegram": TELEGRAM_URL + "?rto=60"}
    with pytest.raises(ApplicationError) as exc:
        contact_update(contact=carol, actor=alice.user, telegram=address)
    assert exc.value.field == "telegram"
    row = Notification(address=address, channel="telegram")
    with pytest.raises(DeliveryError) as failure:
        telegram_channel.build_url(row)
    assert failure.value.permanent
    good = Notification(address="987654321", channel="telegram")
    assert telegram_channel.build_url(good) == (
        "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/987654321?cto=5&rto=5"
    )


def test_the_contact_form_names_the_field_and_says_what_each_service_accepts(
    webhooks_on: None, alice_http: HttpClient, alice: Persona, carol: Contact
) -> None:
    url = reverse("clients:contact_edit", args=[carol.pk])
    page = alice_http.get(url).content.decode()
    assert "templates approved by Meta" in page  # WhatsApp's 24-hour window
    assert "private and local network addresses are refused" in page
    data = {
        "name": carol.name,
        "email": carol.email,
        "preferred_channel": "webhook",
        "webhook_url": "http://169.254.169.254/latest/meta-data/",
        "contact_hours_start": "09:00",
        "contact_hours_end": "18:00",
    }
    response = alice_http.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["webhook_url"]
    assert "not on the public internet" in response.content.decode()
    assert Contact.objects.get(pk=carol.pk).webhook_url == ""
