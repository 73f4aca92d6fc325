"""Replies come back (P14, P17), end to end: an Indonesian contact answers the acknowledgement
of her request by email; the reply reaches the workspace's own mailbox (a real Dovecot IMAP
server); one tick reads it; the owner is told at once (a real SMTP server receives the
notice); in the browser the provider sees the reply on the request and its alert, and answers
from the request page; the deliverer sends the answer, in Indonesian, from the workspace's
sender, with the mailbox's address as the Reply-To.

The tick and the deliverer run in the test process against the live server's database, as the
scheduler and the worker would.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.accounts.workspace_settings import workspace_sender_update
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.conversations.mailboxes import mailbox_save
from rapport.conversations.models import InboundEmail, Mailbox, Request
from rapport.conversations.services import request_receive
from rapport.conversations.tests.dovecot import PASSWORD as IMAP_PASSWORD
from rapport.conversations.tests.dovecot import USER as IMAP_USER
from rapport.conversations.tests.dovecot import Dovecot
from rapport.core.periodic import tick_run
from rapport.e2e.conftest import Inbox, NewContext, ReceivedMail, Screenshot, log_in
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification

pytestmark = pytest.mark.browser

TZ = "Asia/Jakarta"
MAILBOX = "studio@mail.example"
SENDER_NAME = "Alice Design Studio"
SENDER_EMAIL = "hello@alice-design.example"
CLIENT_NAME = "Kopi Nusantara"
CONTACT_NAME = "Sari Wulandari"
CONTACT_EMAIL = "sari@kopinusantara.example"
SUBJECT = "Foto produk untuk katalog"
BODY = "Mohon siapkan foto produk untuk katalog baru kami."
REPLY = "Terima kasih. Tolong pakai latar putih untuk semua foto, dan tambahkan logo kami."
ANSWER = "Baik, semua foto akan memakai latar putih dan logo Anda."

# What an Indonesian contact reads, as rapport/locale/id/LC_MESSAGES/django.po translates it.
ID = {
    "greeting": "Halo, {name},",
    "ack_subject": "Kami telah menerima permintaan Anda [{ref}]: {subject}",
    "ack_eta": "Anda akan menerima jawaban kami paling lambat {eta}.",
    "reply_subject": "Tentang permintaan Anda [{ref}]: {subject}",
    "signature": "Terima kasih,",
}


def indonesian_datetime(value: datetime) -> str:
    """``value`` as the emails show it to the contact: Django's id DATETIME_FORMAT
    ("j N Y, G.i"), in her time zone."""
    with translation.override("id"), timezone.override(zoneinfo.ZoneInfo(TZ)):
        return str(date_filter(timezone.localtime(value), "DATETIME_FORMAT"))


def deliver(inbox: Inbox) -> list[ReceivedMail]:
    """One batch of the deliverer; the emails the SMTP server received from it."""
    before = len(inbox.messages)
    sent = deliver_due(worker="e2e")
    assert mail.outbox == [], "the email went to the locmem backend, not over SMTP"
    return inbox.wait_for(before + sent)[before:]


def to(received: list[ReceivedMail], address: str) -> ReceivedMail:
    [found] = [m for m in received if m.rcpt_tos == [address]]
    return found


def reply_email(ack: ReceivedMail) -> bytes:
    """The contact's answer to the acknowledgement, as her mail program writes it."""
    message = EmailMessage()
    message["From"] = f"{CONTACT_NAME} <{CONTACT_EMAIL}>"
    message["To"] = str(ack.message["Reply-To"])
    message["Subject"] = f"Re: {ack.subject}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="kopinusantara.example")
    message["In-Reply-To"] = str(ack.message["Message-ID"])
    message["References"] = str(ack.message["Message-ID"])
    quoted = "\n".join(f"> {line}".rstrip() for line in ack.text.splitlines())
    message.set_content(f"{REPLY}\n\nPada hari ini, {SENDER_NAME} menulis:\n{quoted}\n")
    return message.as_bytes()


@pytest.fixture
def sari(alice: Persona, settings: Settings, dovecot: Dovecot) -> Contact:
    """Alice's workspace sends as its own sender and reads its own mailbox (on this machine,
    hence the admin's INBOUND_IMAP_ALLOW_INSECURE); her Indonesian client's contact reads
    messages at any hour (so the answer, which waits for the contact's hours, is due now)."""
    settings.INBOUND_IMAP_ALLOW_INSECURE = True
    workspace_sender_update(
        membership=alice.membership, sender_name=SENDER_NAME, sender_email=SENDER_EMAIL
    )
    mailbox_save(
        membership=alice.membership,
        address=MAILBOX,
        host="127.0.0.1",
        port=dovecot.port,
        security="none",
        username=IMAP_USER,
        password=IMAP_PASSWORD,
        folder="INBOX",
    )
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name=CLIENT_NAME,
        status=Client.Status.ACTIVE,
        language="id",
        timezone=TZ,
        currency="IDR",
    )
    return contact_create(
        client=client,
        actor=alice.user,
        name=CONTACT_NAME,
        email=CONTACT_EMAIL,
        language="id",
        timezone=TZ,
        contact_hours_start=time(0),
        contact_hours_end=time(23, 59, 59, 999999),
    )


def test_an_indonesian_email_reply_is_read_shown_notified_and_answered_in_indonesian(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    live_server: LiveServer,
    dovecot: Dovecot,
    alice: Persona,
    sari: Contact,
) -> None:
    # --- Her open request, acknowledged in Indonesian ---------------------------------------
    request = request_receive(
        client=sari.client, contact=sari, source=Request.Source.PORTAL, subject=SUBJECT, body=BODY
    )
    ack = to(deliver(inbox), CONTACT_EMAIL)
    assert ack.subject == ID["ack_subject"].format(ref=request.reference, subject=SUBJECT)
    assert ack.text.startswith(ID["greeting"].format(name=CONTACT_NAME))
    assert ID["ack_eta"].format(eta=indonesian_datetime(request.eta)) in ack.text
    assert ack.message["Reply-To"] == MAILBOX

    # --- Her reply lands in the workspace's mailbox; one tick reads it ----------------------
    dovecot.deliver(reply_email(ack))
    results = tick_run()
    assert -1 not in results.values(), f"a periodic job failed: {results}"
    stored = InboundEmail.objects.get(sender=CONTACT_EMAIL)
    assert stored.request_id == request.pk and stored.workspace_id == alice.workspace.pk
    assert Mailbox.objects.get().stored_count == 1
    assert dovecot.seen() == [True]
    alert_text = f"{CONTACT_NAME} replied: {SUBJECT}"
    replied = Alert.objects.get(kind=Alert.Kind.REPLY_RECEIVED, subject_id=request.pk)
    assert replied.state == Alert.State.OPEN and replied.assignee_id == alice.user.pk

    # --- The owner is told at once: the deliverer's next batch carries her notice ------------
    notice = to(deliver(inbox), alice.user.email)
    assert notice.subject == f"Client replied: {CLIENT_NAME}"
    assert alert_text in notice.text
    assert f"{live_server.url}/requests/{request.pk}/" in notice.text
    assert notice.message["Reply-To"] is None  # a reply to a notice must not reach clients

    # --- In the browser: the alert, the reply on the request, the answer -------------------
    staff = new_context(timezone_id="Europe/Athens").new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto("/alerts/")
    alert = staff.locator("li.alert").filter(has_text=alert_text)
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text(CLIENT_NAME)
    alert.get_by_role("link", name="Act").click()
    expect(staff).to_have_url(f"{live_server.url}/requests/{request.pk}/")
    expect(staff.locator("h1")).to_contain_text(SUBJECT)
    conversation = staff.get_by_role("region", name="Conversation")
    said = conversation.locator("li.inbound")
    expect(said).to_have_count(1)
    expect(said).to_contain_text(f"{CONTACT_NAME} wrote")
    expect(said.locator("> p:not(.small)")).to_have_text(REPLY)
    # The acknowledgement she quoted is folded away, not lost.
    quote = said.locator("details")
    expect(quote.locator("summary")).to_have_text("Quoted earlier message")
    expect(quote.locator("p")).to_be_hidden()
    reply_form = staff.locator(f"form[action$='/requests/{request.pk}/reply/']")
    expect(staff.locator("main")).to_contain_text(f"go to {CONTACT_NAME}, who wrote last")
    path = screenshot(staff, "reply-01-request-with-reply")
    assert path.stat().st_size > 0
    quote.locator("summary").click()
    expect(quote.locator("p")).to_contain_text(f"{SENDER_NAME} menulis:")
    expect(quote.locator("p")).to_contain_text(ID["greeting"].format(name=CONTACT_NAME))

    reply_form.get_by_label("Message to the client").fill(ANSWER)
    reply_form.get_by_role("button", name="Send reply (keep open)").click()
    expect(staff.locator("ul.messages li.success")).to_have_text("Reply sent.")
    answered = staff.get_by_role("region", name="Conversation").locator("li.outbound")
    expect(answered).to_have_count(1)
    expect(answered).to_contain_text(f"Answer to {CONTACT_NAME}")
    expect(answered).to_contain_text(ANSWER)
    screenshot(staff, "reply-02-request-answered")
    # Answering dealt with the reply: its alert has left the alert centre.
    staff.goto("/alerts/")
    expect(staff.locator("h1")).to_have_text("Alerts")
    expect(staff.locator("li.alert").filter(has_text=alert_text)).to_have_count(0)

    # --- The deliverer sends the answer: Indonesian, from the workspace, Reply-To the mailbox -
    answer = to(deliver(inbox), CONTACT_EMAIL)
    assert answer.message["Content-Language"] == "id"
    assert answer.subject == ID["reply_subject"].format(ref=request.reference, subject=SUBJECT)
    assert answer.message["From"] == f"{SENDER_NAME} <{SENDER_EMAIL}>"
    assert answer.message["Reply-To"] == MAILBOX
    assert answer.text.startswith(ID["greeting"].format(name=CONTACT_NAME))
    for body in (answer.text, answer.html):
        assert ANSWER in body
        assert ID["signature"] in body
    sent = Notification.objects.get(kind="request_reply", subject_id=request.pk)
    assert sent.state == Notification.State.SENT and sent.contact_id == sari.pk
    request.refresh_from_db()
    assert request.state == Request.State.OPEN and request.first_response_at is not None
    assert re.fullmatch(r"R-\d+", request.reference)
