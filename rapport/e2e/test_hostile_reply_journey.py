"""A hostile Greek email reply, end to end (P23, P24, P28): a Greek contact answers the
acknowledgement of her request angrily; the reply reaches the workspace's own mailbox (a real
Dovecot IMAP server) and one tick reads it; its tone raises the urgent "may be upset" alert and
the owner is told at once (a real SMTP server receives the notice); in the browser the provider
opens the alert, reads the words that decided it, the six steps and the client's temperament,
and answers the request with the calm boundary message in Greek; the deliverer sends it to
her in Greek.
"""

from __future__ import annotations

import re
from datetime import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest
from playwright.sync_api import expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.accounts.workspace_settings import workspace_sender_update
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.conversations.mailboxes import mailbox_save
from rapport.conversations.models import InboundEmail, Request
from rapport.conversations.services import request_receive
from rapport.conversations.tests.dovecot import PASSWORD as IMAP_PASSWORD
from rapport.conversations.tests.dovecot import USER as IMAP_USER
from rapport.conversations.tests.dovecot import Dovecot
from rapport.core.periodic import tick_run
from rapport.e2e.conftest import Inbox, NewContext, ReceivedMail, Screenshot, log_in
from rapport.e2e.test_reply_journey import deliver, to
from rapport.notifications.models import Alert, Notification

pytestmark = pytest.mark.browser

TZ = "Europe/Athens"
MAILBOX = "studio@mail.example"
SENDER_NAME = "Alice Design Studio"
SENDER_EMAIL = "hello@alice-design.example"
CLIENT_NAME = "Ελαιώνας Κρήτης"
CONTACT_NAME = "Νίκος Παππάς"
CONTACT_EMAIL = "nikos@elaionas.example"
SUBJECT = "Νέος κατάλογος προϊόντων"
BODY = "Χρειαζόμαστε τον νέο κατάλογο για την έκθεση."
REPLY = "Είστε ανίκανοι! Πάλι καθυστέρηση. Θα πάω σε δικηγόρο."
TEMPERAMENT = "Decides fast; prefers a phone call to long emails."

# What a Greek contact reads, as rapport/locale/el/LC_MESSAGES/django.po translates it.
EL = {
    "greeting": "Γεια σας, Νίκος Παππάς,",
    "boundary": "δεν μπορούμε να συνεχίσουμε τη συζήτηση με αυτόν τον τόνο",
    "concern": "Παίρνουμε σοβαρά υπόψη την ανησυχία σας",
    "call": "Προτείνω να μιλήσουμε τηλεφωνικά",
}


def reply_email(ack: ReceivedMail) -> bytes:
    """His angry answer to the acknowledgement, as his mail program writes it."""
    message = EmailMessage()
    message["From"] = f"{CONTACT_NAME} <{CONTACT_EMAIL}>"
    message["To"] = str(ack.message["Reply-To"])
    message["Subject"] = f"Re: {ack.subject}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="elaionas.example")
    message["In-Reply-To"] = str(ack.message["Message-ID"])
    message["References"] = str(ack.message["Message-ID"])
    quoted = "\n".join(f"> {line}".rstrip() for line in ack.text.splitlines())
    message.set_content(f"{REPLY}\n\nΟ/Η {SENDER_NAME} έγραψε:\n{quoted}\n")
    return message.as_bytes()


@pytest.fixture
def nikos(alice: Persona, settings: Settings, dovecot: Dovecot) -> Contact:
    """Alice's workspace sends as its own sender and reads its own mailbox; her Greek
    client's contact reads messages at any hour (the answer is due now whatever the hour)."""
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
        language="el",
        timezone=TZ,
        currency="EUR",
        temperament_notes=TEMPERAMENT,
    )
    return contact_create(
        client=client,
        actor=alice.user,
        name=CONTACT_NAME,
        email=CONTACT_EMAIL,
        language="el",
        timezone=TZ,
        contact_hours_start=time(0),
        contact_hours_end=time(23, 59, 59, 999999),
    )


def test_a_hostile_greek_reply_raises_the_alert_with_the_boundary_in_greek(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    live_server: LiveServer,
    dovecot: Dovecot,
    alice: Persona,
    nikos: Contact,
) -> None:
    # --- His request, calm, acknowledged in Greek ------------------------------------------
    request = request_receive(
        client=nikos.client, contact=nikos, source=Request.Source.PORTAL, subject=SUBJECT, body=BODY
    )
    request.refresh_from_db()
    assert request.tone == "neutral"
    ack = to(deliver(inbox), CONTACT_EMAIL)
    assert ack.text.startswith(EL["greeting"])

    # --- His angry reply lands in the mailbox; one tick reads it ----------------------------
    dovecot.deliver(reply_email(ack))
    results = tick_run()
    assert -1 not in results.values(), f"a periodic job failed: {results}"
    stored = InboundEmail.objects.get(sender=CONTACT_EMAIL)
    assert stored.request_id == request.pk
    assert stored.tone == "hostile"
    assert {c["text"] for c in stored.tone_cues} >= {"ανίκανοι", "δικηγόρο"}
    upset = Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET)
    assert upset.severity == Alert.Severity.URGENT and upset.assignee_id == alice.user.pk
    assert upset.subject_type == "inboundemail" and upset.subject_id == stored.pk

    # --- The owner is told at once of both the reply and its tone ---------------------------
    alert_text = f"{CONTACT_NAME} may be upset: a hostile message"
    notices = [m for m in deliver(inbox) if m.rcpt_tos == [alice.user.email]]
    assert any(alert_text in m.text for m in notices)

    # --- In the browser: the urgent alert, the de-escalation page ---------------------------
    staff = new_context(timezone_id=TZ).new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto("/alerts/")
    alert = staff.locator("li.alert").filter(has_text=alert_text)
    expect(alert).to_have_count(1)
    alert.get_by_role("link", name="Act").click()
    expect(staff).to_have_url(f"{live_server.url}/care/upset/{upset.pk}/")
    expect(staff.locator("h1")).to_contain_text("Client may be upset")
    expect(staff.locator("h1")).to_contain_text("Hostile")
    seen = staff.get_by_role("region", name="What was seen")
    expect(seen.locator("mark")).to_have_text(["ανίκανοι", "καθυστέρηση", "δικηγόρο"])
    expect(seen.locator("blockquote")).to_contain_text("Πάλι καθυστέρηση.")
    steps = staff.get_by_role("region", name="Before you answer").locator("li")
    expect(steps).to_have_count(6)
    for index, title in enumerate(
        [
            "Listen",
            "Acknowledge",
            "Restate",
            "No argument in writing",
            "Propose a call",
            "One next step",
        ]
    ):
        expect(steps.nth(index).locator("strong")).to_have_text(title)
    expect(staff.locator("aside.temperament")).to_contain_text(TEMPERAMENT)
    boundary = staff.get_by_role("textbox", name="Boundary message")
    for words in (EL["greeting"], EL["concern"], EL["boundary"], EL["call"], SUBJECT):
        expect(boundary).to_contain_text(words)
    expect(boundary).to_have_attribute("lang", "el")
    expect(staff.get_by_role("button", name="Copy")).to_be_visible()
    drafted = boundary.input_value()
    screenshot(staff, "hostile-01-de-escalation")

    # --- He is answered with the boundary message, from the request's reply box -------------
    staff.get_by_role("link", name="Answer the request with it").click()
    expect(staff).to_have_url(
        re.compile(rf"^{re.escape(live_server.url)}/requests/{request.pk}/\?draft=.+#reply$")
    )
    said = staff.get_by_role("region", name="Conversation").locator("li.inbound")
    expect(said.locator("details.tone-badge summary")).to_have_text("Hostile")
    reply_form = staff.locator(f"form[action$='/requests/{request.pk}/reply/']")
    box = reply_form.get_by_label("Message to the client")
    expect(box).to_have_value(drafted)
    reply_form.get_by_role("button", name="Send reply (keep open)").click()
    expect(staff.locator("ul.messages li.success")).to_have_text("Reply sent.")
    screenshot(staff, "hostile-02-answered")

    # --- The alert is marked done from its page ---------------------------------------------
    staff.goto(f"/care/upset/{upset.pk}/")
    staff.get_by_role("button", name="Mark done").click()
    expect(staff.locator("h1")).to_have_text("Alerts")
    expect(staff.locator("li.alert").filter(has_text=alert_text)).to_have_count(0)
    upset.refresh_from_db()
    assert upset.state == Alert.State.DONE

    # --- The deliverer sends the answer, in Greek ------------------------------------------
    answer = to(deliver(inbox), CONTACT_EMAIL)
    assert answer.message["Content-Language"] == "el"
    for words in (EL["boundary"], EL["concern"], EL["call"]):
        assert words in answer.text
    sent = Notification.objects.get(kind="request_reply", subject_id=request.pk)
    assert sent.state == Notification.State.SENT and sent.contact_id == nikos.pk
