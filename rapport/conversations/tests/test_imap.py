"""A workspace's own mailbox read over IMAP, against a real Dovecot the test starts (P14):
each message once, nothing lost on a failure, UIDVALIDITY changes, errors shown in Settings,
and a reply that lands on its request."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.conversations import imap
from rapport.conversations.imap import mailbox_poll
from rapport.conversations.mailbox_secrets import unseal
from rapport.conversations.mailboxes import mailbox_save
from rapport.conversations.models import InboundEmail, Mailbox, Request
from rapport.conversations.services import request_receive
from rapport.conversations.tests.dovecot import PASSWORD, USER, Dovecot
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Alert, Notification


def raw(sender: str, subject: str, body: str, message_id: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "studio@mail.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0200"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def local_imap(settings: SettingsWrapper) -> None:
    settings.INBOUND_IMAP_ALLOW_INSECURE = True


def connect(
    alice: Persona, dovecot: Dovecot, *, password: str = PASSWORD, folder: str = "INBOX"
) -> Mailbox:
    return mailbox_save(
        membership=alice.membership,
        address="studio@mail.example",
        host="127.0.0.1",
        port=dovecot.port,
        security="none",
        username=USER,
        password=password,
        folder=folder,
    )


def test_each_message_is_stored_once_across_two_polls(
    local_imap: None, alice: Persona, carol: Contact, dovecot: Dovecot
) -> None:
    mailbox = connect(alice, dovecot)
    alice.workspace.refresh_from_db()
    assert alice.workspace.inbound_mailbox_address == "studio@mail.example"
    dovecot.deliver(raw("Carol <carol@acme.example>", "Logo", "A new logo", "<a@acme>"))
    dovecot.deliver(raw("Dan <dan@unknown.example>", "Hello", "Who am I?", "<b@unknown>"))
    assert mailbox_poll(mailbox) == 2
    assert mailbox_poll(mailbox) == 0
    dovecot.deliver(raw("carol@acme.example", "Banner", "And a banner", "<c@acme>"))
    assert mailbox_poll(mailbox) == 1
    assert InboundEmail.objects.count() == 3
    assert dovecot.seen() == [True, True, True]
    unknown = InboundEmail.objects.get(sender="dan@unknown.example")
    # Mail in the workspace's own mailbox is that workspace's, whatever its recipient.
    assert unknown.workspace_id == alice.workspace.pk and unknown.request is None
    assert unknown.sender_name == "Dan"
    assert Request.objects.filter(client=carol.client).count() == 2
    mailbox.refresh_from_db()
    assert mailbox.stored_count == 3 and mailbox.last_error == ""


def test_a_failure_while_storing_leaves_the_message_unread_for_next_time(
    local_imap: None,
    alice: Persona,
    carol: Contact,
    dovecot: Dovecot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mailbox = connect(alice, dovecot)
    dovecot.deliver(raw("carol@acme.example", "Logo", "A new logo", "<a@acme>"))
    dovecot.deliver(raw("carol@acme.example", "Banner", "A banner", "<b@acme>"))

    def broken(**kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(imap, "inbound_email_receive", broken)
    assert mailbox_poll(mailbox) == 0
    assert InboundEmail.objects.count() == 0
    assert dovecot.seen() == [False, False]
    mailbox.refresh_from_db()
    assert mailbox.last_error == "store" and "database went away" in mailbox.last_error_detail
    monkeypatch.undo()
    assert mailbox_poll(mailbox) == 2
    assert dovecot.seen() == [True, True]
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == ["Banner", "Logo"]
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_a_new_uidvalidity_reads_the_folder_again_keeping_each_message_once(
    local_imap: None, alice: Persona, carol: Contact, dovecot: Dovecot
) -> None:
    dovecot.recreate("Clients")
    mailbox = connect(alice, dovecot, folder="Clients")
    dovecot.deliver(raw("carol@acme.example", "Logo", "A logo", "<a@acme>"), folder="Clients")
    assert mailbox_poll(mailbox) == 1
    first = Mailbox.objects.get().uidvalidity
    # The folder is re-created: its UIDs start over at 1 (the old last UID would skip them).
    dovecot.recreate("Clients")
    dovecot.deliver(raw("carol@acme.example", "Logo", "A logo", "<a@acme>"), folder="Clients")
    dovecot.deliver(raw("carol@acme.example", "Font", "A font", "<f@acme>"), folder="Clients")
    assert mailbox_poll(mailbox) == 2
    assert Mailbox.objects.get().uidvalidity != first
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == ["Font", "Logo"]


def test_a_wrong_password_shows_a_clear_error_in_settings(
    local_imap: None, alice: Persona, alice_http: HttpClient, dovecot: Dovecot
) -> None:
    response = alice_http.post(
        reverse("conversations:mailbox_save"),
        {
            "mb-address": "studio@mail.example",
            "mb-host": "127.0.0.1",
            "mb-port": dovecot.port,
            "mb-security": "none",
            "mb-username": USER,
            "mb-password": "wrong-password",
            "mb-folder": "INBOX",
        },
    )
    assert response.status_code == 302
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    assert "The server refused the username or password" in page
    assert "wrong-password" not in page
    assert "studio@mail.example" in page  # the inbound address, shown
    stored = Mailbox.objects.get()
    assert "wrong-password" not in stored.password and unseal(stored.password) == "wrong-password"


def test_plain_text_and_private_servers_are_refused_unless_the_server_allows(
    alice: Persona,
) -> None:
    with pytest.raises(ApplicationError) as plain:
        mailbox_save(
            membership=alice.membership,
            address="studio@mail.example",
            host="imap.example.com",
            port=143,
            security="none",
            username=USER,
            password=PASSWORD,
            folder="INBOX",
        )
    assert plain.value.field == "security"
    with pytest.raises(ApplicationError) as local:
        mailbox_save(
            membership=alice.membership,
            address="studio@mail.example",
            host="127.0.0.1",
            port=993,
            security="ssl",
            username=USER,
            password=PASSWORD,
            folder="INBOX",
        )
    assert local.value.field == "host"
    assert not Mailbox.objects.exists()


def test_a_reply_by_mail_lands_on_its_request_and_alerts_the_owner(
    local_imap: None,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    dovecot: Dovecot,
) -> None:
    mailbox = connect(alice, dovecot)
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="A banner"
    )
    ack = Notification.objects.get(kind="request_ack")
    # Her mail program quotes Rapport's Message-ID; she rewrote the subject.
    dovecot.deliver(
        raw(
            "Carol <carol@acme.example>",
            "Sizes",
            "300x250 please",
            "<r1@acme>",
            In_Reply_To=f"<{ack.idempotency_key}@localhost>",
        )
    )
    assert mailbox_poll(mailbox) == 1
    email = InboundEmail.objects.get()
    assert email.request == request and Request.objects.count() == 1
    alert = Alert.objects.get(kind=Alert.Kind.REPLY_RECEIVED)
    assert alert.assignee_id == acme.account_owner_id == alice.user.pk
    assert TimelineEvent.objects.filter(client=acme, verb="request.client_replied").exists()
    page = alice_http.get(reverse("conversations:detail", args=[request.pk])).content.decode()
    assert "300x250 please" in page
    answered = alice_http.post(
        reverse("conversations:reply", args=[request.pk]), {"message": "Done in an hour"}
    )
    assert answered.status_code == 302
    reply = Notification.objects.get(kind="request_reply")
    assert reply.contact == carol and reply.language == "el"
