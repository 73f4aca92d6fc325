"""Channels end to end: email over a real SMTP server, the JSON webhook over real HTTP, Telegram
and SMS up to Apprise's boundary, addresses refused at save time, and contact hours."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

import apprise
import pytest
import time_machine
from django.core import mail
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create, contact_update
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.channels.sms import channel as sms_channel
from rapport.notifications.channels.telegram import channel as telegram_channel
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import DeliveryAttempt, Notification
from rapport.notifications.tests.conftest import HookServer, SmtpServer
from rapport.projects.models import Project
from rapport.projects.services import milestone_create, project_create
from rapport.projects.updates import update_send

# Monday 23 November 2026, 10:00 in Athens (UTC+2): inside everyone's contact hours.
MONDAY_10_ATHENS = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
TELEGRAM_URL = "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/{to}"
SMS_URL = (
    "twilio://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb@+15551234567/{to}"
)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_10_ATHENS, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(clock: time_machine.Traveller, alice: Persona, acme: Client) -> Project:
    project = project_create(
        client=acme,
        actor=alice.user,
        title="New shop",
        start_date=dt.date(2026, 11, 16),
        due_date=dt.date(2027, 2, 26),
        status=Project.Status.ACTIVE,
    )
    milestone_create(
        project=project,
        actor=alice.user,
        title="Page designs",
        due_date=dt.date(2026, 12, 4),
        progress=40,
    )
    return project


def send_update(project: Project, alice: Persona, contact: Contact, body: str) -> Notification:
    update = update_send(project=project, actor=alice.user, contacts=[contact], body=body)
    return Notification.objects.get(
        subject_type="projectupdate", subject_id=update.pk, contact=contact
    )


# --- Email over SMTP ----------------------------------------------------------------------------


def test_progress_update_arrives_over_smtp_in_greek(
    smtp_settings: SmtpServer, shop: Project, alice: Persona, carol: Contact
) -> None:
    notification = send_update(shop, alice, carol, "Η αρχική σελίδα είναι έτοιμη.")
    assert notification.channel == "email" and notification.language == "el"
    assert notification.not_before == MONDAY_10_ATHENS

    assert deliver_due(worker="t") == 1

    assert smtp_settings.wait_for(1)
    assert mail.outbox == []  # over the socket, not into Django's test outbox
    [received] = smtp_settings.received
    message = received.message
    assert received.rcpt_tos == ["carol@acme.example"]
    # Subject and text in Greek, from the translated templates (rapport/locale/el).
    assert message["Subject"] == "Πρόοδος για το New shop"
    assert message["Content-Language"] == "el"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    content = text.get_content()
    assert "Γεια σας, Carol Georgiou," in content
    assert "Η αρχική σελίδα είναι έτοιμη." in content
    assert "Πού βρισκόμαστε:" in content
    assert "- Page designs: 40%" in content
    html = message.get_body(preferencelist=("html",))
    assert html is not None and "Carol Georgiou" in html.get_content()
    # The notification id travels as the Message-ID and as an explicit idempotency key.
    assert re.fullmatch(
        rf"<rapport-notification-{notification.pk}@[^>@\s]+>", message["Message-ID"]
    )
    assert message["X-Rapport-Idempotency-Key"] == notification.idempotency_key
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.sent_at == MONDAY_10_ATHENS
    assert notification.attempts == 1
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert attempt.ok and attempt.worker == "t"
    assert (
        TimelineEvent.objects.filter(
            verb="notification.sent", subject_type="notification", subject_id=notification.pk
        ).count()
        == 1
    )


def test_no_big_news_in_greek(
    smtp_settings: SmtpServer, shop: Project, alice: Persona, carol: Contact
) -> None:
    update_send(project=shop, actor=alice.user, contacts=[carol], no_big_news=True)
    assert deliver_due(worker="t") == 1
    assert smtp_settings.wait_for(1)
    text = smtp_settings.received[0].message.get_body(preferencelist=("plain",))
    assert text is not None
    assert "Αυτή τη φορά δεν υπάρχουν σημαντικά νέα" in text.get_content()


# --- JSON webhook over HTTP ---------------------------------------------------------------------


def test_webhook_posts_json_with_the_idempotency_key(
    hook_server: HookServer, shop: Project, alice: Persona, carol: Contact
) -> None:
    contact_update(
        contact=carol,
        actor=alice.user,
        preferred_channel="webhook",
        webhook_url=hook_server.url("/hook"),
    )
    notification = send_update(shop, alice, carol, "Η αρχική σελίδα είναι έτοιμη.")
    assert notification.channel == "webhook"
    assert notification.address == hook_server.url("/hook")
    assert notification.html == ""

    assert deliver_due(worker="t") == 1

    [request] = hook_server.received
    assert request.method == "POST"
    assert request.path.split("?")[0] == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-idempotency-key"] == notification.idempotency_key
    payload = json.loads(request.body)
    assert payload["title"] == notification.subject == "Πρόοδος για το New shop"
    assert payload["message"] == notification.body.rstrip()  # Apprise trims the final newline
    assert "Γεια σας, Carol Georgiou," in payload["message"]
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT


# --- Telegram and SMS up to Apprise (no request leaves the machine) ------------------------------


@pytest.fixture
def provider_urls(settings: SettingsWrapper) -> dict[str, str]:
    urls: dict[str, str] = {**settings.CHANNEL_URLS, "telegram": TELEGRAM_URL, "sms": SMS_URL}
    settings.CHANNEL_URLS = urls
    return urls


def test_telegram_url_and_message(
    provider_urls: dict[str, str], shop: Project, alice: Persona, carol: Contact
) -> None:
    contact_update(
        contact=carol, actor=alice.user, telegram=" 987654321 ", preferred_channel="telegram"
    )
    carol.refresh_from_db()
    assert carol.telegram == "987654321"
    notification = send_update(shop, alice, carol, "Έτοιμο.")
    assert (notification.channel, notification.address) == ("telegram", "987654321")
    channel = telegram_channel
    url = channel.build_url(notification)
    # The server's cap on each send, whatever the template says (NOTIFICATION_SEND_TIMEOUT).
    assert url == "tgram://123456789:ABCdefGhIJKlmnOPQRstuVWxyz12345678/987654321?cto=5&rto=5"
    assert channel.build_message(notification) == (notification.subject, notification.body)
    assert notification.subject == "Πρόοδος για το New shop"
    sender = apprise.Apprise()
    assert sender.add(url) is True
    assert cast(Any, sender[0]).targets == [(987654321, None)]
    assert (sender[0].socket_connect_timeout, sender[0].socket_read_timeout) == (5.0, 5.0)


def test_sms_url_and_message(
    provider_urls: dict[str, str], shop: Project, alice: Persona, carol: Contact
) -> None:
    contact_update(
        contact=carol, actor=alice.user, phone="+30 691 234 5678", preferred_channel="sms"
    )
    carol.refresh_from_db()
    assert carol.phone == "+306912345678"
    notification = send_update(shop, alice, carol, "Έτοιμο.")
    assert (notification.channel, notification.address) == ("sms", "+306912345678")
    channel = sms_channel
    url = channel.build_url(notification)
    assert url == (
        "twilio://ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb@+15551234567/+306912345678?cto=5&rto=5"
    )
    title, text = channel.build_message(notification)
    assert title == ""
    assert text == f"{notification.subject}\n{notification.body}".strip()
    assert text.startswith("Πρόοδος για το New shop\nΓεια σας, Carol Georgiou,")
    sender = apprise.Apprise()
    assert sender.add(url) is True
    assert cast(Any, sender[0]).targets == [("T", "+306912345678")]


def test_long_sms_is_cut_to_four_segments(
    provider_urls: dict[str, str], shop: Project, alice: Persona, carol: Contact
) -> None:
    contact_update(contact=carol, actor=alice.user, phone="+306912345678", preferred_channel="sms")
    notification = send_update(shop, alice, carol, "Λέξη " * 400)
    _title, text = sms_channel.build_message(notification)
    assert len(text) == 600 and text.endswith("…")


def test_phone_preference_writes_by_sms_when_sms_is_set_up(
    provider_urls: dict[str, str], shop: Project, alice: Persona, carol: Contact
) -> None:
    contact_update(
        contact=carol, actor=alice.user, phone="+306912345678", preferred_channel="phone"
    )
    notification = send_update(shop, alice, carol, "Έτοιμο.")
    assert (notification.channel, notification.address) == ("sms", "+306912345678")


def test_phone_preference_writes_by_email_without_sms(
    settings: SettingsWrapper, shop: Project, alice: Persona, carol: Contact
) -> None:
    settings.CHANNEL_URLS = {**settings.CHANNEL_URLS, "sms": ""}
    contact_update(
        contact=carol, actor=alice.user, phone="+306912345678", preferred_channel="phone"
    )
    notification = send_update(shop, alice, carol, "Έτοιμο.")
    assert (notification.channel, notification.address) == ("email", "carol@acme.example")


# --- Addresses refused at save time ---------------------------------------------------------------

BAD_INPUT: list[tuple[dict[str, Any], str]] = [
    ({"phone": "12345"}, "phone"),
    ({"phone": "+30 000"}, "phone"),
    ({"whatsapp": "+30 000"}, "whatsapp"),
    ({"telegram": "hello world"}, "telegram"),
    ({"webhook_url": "ftp://x"}, "webhook_url"),
    ({"webhook_url": "http://"}, "webhook_url"),
    ({"ntfy_topic": "a topic"}, "ntfy_topic"),
    ({"slack": "general"}, "slack"),
    ({"preferred_channel": "pigeon"}, "preferred_channel"),
    # Telegram chosen, the chat id is fine, but this server has no Telegram credentials.
    ({"preferred_channel": "telegram", "telegram": "123456789"}, "preferred_channel"),
    # A preferred channel without its address.
    ({"preferred_channel": "webhook"}, "webhook_url"),
]


def _via_update(acme: Client, alice: Persona, carol: Contact) -> Callable[..., Contact]:
    return lambda **data: contact_update(contact=carol, actor=alice.user, **data)


def _via_create(acme: Client, alice: Persona, carol: Contact) -> Callable[..., Contact]:
    return lambda **data: contact_create(
        client=acme, actor=alice.user, name="Dimitris", email="dimitris@acme.example", **data
    )


@pytest.mark.parametrize(
    "via", [_via_update, _via_create], ids=["contact_update", "contact_create"]
)
@pytest.mark.parametrize(
    ("data", "field"), BAD_INPUT, ids=[f"{f}:{next(iter(d.values()))}" for d, f in BAD_INPUT]
)
def test_bad_addresses_are_refused_at_save(
    settings: SettingsWrapper,
    acme: Client,
    alice: Persona,
    carol: Contact,
    via: Callable[[Client, Persona, Contact], Callable[..., Contact]],
    data: dict[str, Any],
    field: str,
) -> None:
    settings.CHANNEL_URLS = {key: "" for key in settings.CHANNEL_URLS}
    write = via(acme, alice, carol)
    with pytest.raises(ApplicationError) as exc:
        write(**data)
    assert exc.value.field == field
    stored = Contact.objects.get(pk=carol.pk)
    assert (stored.phone, stored.telegram, stored.webhook_url, stored.preferred_channel) == (
        "",
        "",
        "",
        "email",
    )
    assert not Contact.objects.filter(name="Dimitris").exists()


def test_good_addresses_are_normalised(
    settings: SettingsWrapper, alice: Persona, carol: Contact
) -> None:
    settings.CHANNEL_URLS = {**settings.CHANNEL_URLS, "telegram": TELEGRAM_URL}
    contact_update(
        contact=carol,
        actor=alice.user,
        phone=" +30 691 234 5678 ",
        whatsapp="+306912345678",
        telegram="@carol_g",
        webhook_url="https://1.1.1.1/rapport",
        preferred_channel="telegram",
    )
    stored = Contact.objects.get(pk=carol.pk)
    assert stored.phone == "+306912345678"
    assert stored.telegram == "@carol_g"
    assert stored.preferred_channel == "telegram"


# --- Contact hours -------------------------------------------------------------------------------


def test_contact_hours_hold_messages_until_morning(
    smtp_settings: SmtpServer,
    clock: time_machine.Traveller,
    shop: Project,
    alice: Persona,
    acme: Client,
) -> None:
    dimitra = contact_create(
        client=acme,
        actor=alice.user,
        name="Dimitra",
        email="dimitra@acme.example",
        contact_hours_start=dt.time(9),
        contact_hours_end=dt.time(18),
        timezone="Europe/Athens",
    )
    clock.move_to(dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.UTC))  # 23:00 in Athens
    update = send_update(shop, alice, dimitra, "Late news.")
    # 09:00 in Athens on Tuesday is 07:00 UTC.
    assert update.not_before == dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)
    # The client writes at 23:00: the acknowledgement is urgent and goes at once.
    request_receive(
        client=acme, contact=dimitra, source="portal", subject="Banner", body="A new banner"
    )
    ack = Notification.objects.get(kind="request_ack")
    # Only the contact's messages matter here (the provider's own notice has its tests).
    Notification.objects.exclude(contact=dimitra).delete()
    assert ack.urgent and ack.not_before == dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.UTC)

    assert deliver_due(worker="t") == 1
    assert smtp_settings.wait_for(1)
    assert [r.message["X-Rapport-Idempotency-Key"] for r in smtp_settings.received] == [
        ack.idempotency_key
    ]

    clock.move_to(dt.datetime(2026, 11, 23, 21, 30, tzinfo=dt.UTC))  # 23:30 in Athens
    assert deliver_due(worker="t") == 0
    clock.move_to(dt.datetime(2026, 11, 24, 6, 59, tzinfo=dt.UTC))  # 08:59 in Athens
    assert deliver_due(worker="t") == 0
    update.refresh_from_db()
    assert update.state == Notification.State.QUEUED and update.attempts == 0

    clock.move_to(dt.datetime(2026, 11, 24, 7, 1, tzinfo=dt.UTC))  # 09:01 in Athens
    assert deliver_due(worker="t") == 1
    assert smtp_settings.wait_for(2)
    assert smtp_settings.received[1].message["X-Rapport-Idempotency-Key"] == update.idempotency_key
    update.refresh_from_db()
    assert update.state == Notification.State.SENT
    assert update.sent_at == dt.datetime(2026, 11, 24, 7, 1, tzinfo=dt.UTC)


def test_contact_hours_across_midnight(
    clock: time_machine.Traveller, shop: Project, alice: Persona, acme: Client
) -> None:
    night = contact_create(
        client=acme,
        actor=alice.user,
        name="Nikos",
        email="nikos@acme.example",
        contact_hours_start=dt.time(22),
        contact_hours_end=dt.time(6),
        timezone="Europe/Athens",
    )
    # 10:00 in Athens: outside 22:00-06:00, so it waits for 22:00 (20:00 UTC).
    update = send_update(shop, alice, night, "Night shift news.")
    assert update.not_before == dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)
