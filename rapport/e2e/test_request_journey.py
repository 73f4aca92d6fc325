"""A client request, end to end (P14): a request submitted in the portal in Romanian is
acknowledged with an ETA within one tick, shows on the provider's alert centre, is answered,
and the answer appears in the portal.

The contact and the provider each have their own browser context; the tick and the delivery
worker run in the test process against the live server's database, and the emails travel
over SMTP to the real (aiosmtpd) server of ``inbox``.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, time

import pytest
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from rapport.accounts.services import workspace_update
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.conversations.models import Request
from rapport.core.periodic import tick_run
from rapport.e2e.conftest import (
    Inbox,
    NewContext,
    ReceivedMail,
    Screenshot,
    log_in,
    sections_loaded,
)
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification

pytestmark = pytest.mark.browser

TZ = "Europe/Bucharest"
CLIENT_NAME = "Florăria Ionescu"
CONTACT_NAME = "Ioana Rădulescu"
CONTACT_EMAIL = "ioana@floraria.example"
SUBJECT = "Meniul de Crăciun pe site"
BODY = "Vă rog să puneți pe pagina principală oferta de Crăciun, cu prețurile noi."
ANSWER = "Oferta de Crăciun este acum pe pagina principală, cu prețurile noi."

# What a Romanian contact reads, as rapport/locale/ro/LC_MESSAGES/django.po translates it.
RO = {
    "confirm_title": "Deschideți pagina proiectelor dumneavoastră",
    "confirm_button": "Deschide pagina proiectelor mele",
    "hello": "Bună ziua, {name}",
    "requests": "Solicitările dumneavoastră",
    "ask": "Cereți ceva",
    "ask_intro": "Confirmăm imediat și vă spunem până când veți primi răspunsul nostru.",
    "subject": "Subiect",
    "body": "Solicitarea dumneavoastră",
    "send": "Trimiteți",
    "sent": "Vă mulțumim: am primit solicitarea dumneavoastră și vom răspunde până la termenul "
    "afișat.",
    "answer_by": "Răspunsul nostru până la {eta}",
    "state_open": "În curs",
    "state_done": "Finalizată",
    "ack_subject": "Am primit solicitarea dumneavoastră [{ref}]: {subject}",
    "greeting": "Bună ziua, {name},",
    "ack_thanks": "Vă mulțumim pentru solicitarea „{subject}”. Am primit-o și ne ocupăm deja de "
    "ea.",
    "ack_eta": "Veți primi răspunsul nostru până la {eta}.",
    "ack_follow": "O puteți urmări oricând în pagina proiectelor dumneavoastră.",
    "done_subject": "Finalizată: solicitarea dumneavoastră [{ref}] {subject}",
    "done_text": "Solicitarea dumneavoastră „{subject}” a fost finalizată.",
    "signature": "Vă mulțumim,",
}


def romanian_datetime(value: datetime) -> str:
    """``value`` as the portal and the emails show it to the contact: Django's ro
    DATETIME_FORMAT, in the contact's time zone."""
    with translation.override("ro"), timezone.override(zoneinfo.ZoneInfo(TZ)):
        return str(date_filter(timezone.localtime(value), "DATETIME_FORMAT"))


def portal_request_item(page: Page) -> Locator:
    return (
        page.get_by_role("region", name=RO["requests"])
        .locator("li")
        .filter(has=page.get_by_text(SUBJECT, exact=True))
    )


def one_tick_and_delivery(inbox: Inbox) -> tuple[ReceivedMail, list[ReceivedMail]]:
    """Run one tick and one delivery batch, as the scheduler and the worker would; return
    the one email that reached the contact, and the others (to the provider)."""
    before = len(inbox.messages)
    results = tick_run()
    assert -1 not in results.values(), f"a periodic job failed: {results}"
    sent = deliver_due(worker="e2e")
    # Besides the contact's email, the provider's instant notice of a new request, and her
    # daily digest if the tick runs at 08:00 her time: count only what reached the contact.
    arrived = inbox.wait_for(before + sent)[before:]
    to_contact = [m for m in arrived if m.rcpt_tos == [CONTACT_EMAIL]]
    assert len(to_contact) == 1, [(m.rcpt_tos, m.subject) for m in arrived]
    assert mail.outbox == [], "the email went to the locmem backend, not over SMTP"
    return to_contact[0], [m for m in arrived if m.rcpt_tos != [CONTACT_EMAIL]]


@pytest.fixture
def ioana(alice: Persona) -> Contact:
    """Alice's Romanian client and its contact, who reads messages at any hour (so that the
    "done" email, which waits for the contact's hours, is due whenever the test runs)."""
    workspace_update(
        membership=alice.membership,
        name=alice.workspace.name,
        default_currency="EUR",
        default_language="en",
        timezone_name=TZ,
    )
    client = client_create(
        workspace=alice.membership.workspace,
        actor=alice.user,
        name=CLIENT_NAME,
        status=Client.Status.ACTIVE,
        language="ro",
        timezone=TZ,
        currency="RON",
    )
    return contact_create(
        client=client,
        actor=alice.user,
        name=CONTACT_NAME,
        email=CONTACT_EMAIL,
        language="ro",
        contact_hours_start=time(0),
        contact_hours_end=time(23, 59, 59, 999999),
    )


def test_a_portal_request_in_romanian_is_acknowledged_alerted_answered_and_shown(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    live_server: LiveServer,
    alice: Persona,
    ioana: Contact,
) -> None:
    _, token = portal_link_create(contact=ioana, actor=None)

    # --- The contact opens the portal and asks for something ----------------------------------
    portal = new_context(locale="ro-RO", timezone_id=TZ).new_page()
    portal.goto(f"/p/o/{token}/")
    expect(portal.locator("html")).to_have_attribute("lang", "ro")
    expect(portal).to_have_title(re.compile("^" + re.escape(RO["confirm_title"])))
    portal.get_by_role("button", name=RO["confirm_button"]).click()
    expect(portal).to_have_url(f"{live_server.url}/p/")
    expect(portal.locator("h1")).to_have_text(RO["hello"].format(name=CONTACT_NAME))

    portal.get_by_role("region", name=RO["requests"]).get_by_role("link", name=RO["ask"]).click()
    expect(portal).to_have_url(f"{live_server.url}/p/requests/new/")
    expect(portal.locator("html")).to_have_attribute("lang", "ro")
    expect(portal.locator("h1")).to_have_text(RO["ask"])
    expect(portal.locator("main")).to_contain_text(RO["ask_intro"])
    form = portal.locator("main form.form")
    form.get_by_label(RO["subject"], exact=True).fill(SUBJECT)
    form.get_by_label(RO["body"], exact=True).fill(BODY)
    screenshot(portal, "request-01-portal-form")
    form.get_by_role("button", name=RO["send"]).click()

    # Acknowledged at once, with its ETA.
    expect(portal).to_have_url(re.compile(r"/p/\?sent=\d+#requests$"))
    request = Request.objects.get()
    assert portal.url.endswith(f"?sent={request.pk}#requests")
    assert (request.client_id, request.contact_id) == (ioana.client_id, ioana.pk)
    assert request.source == Request.Source.PORTAL
    assert (request.subject, request.body) == (SUBJECT, BODY)
    assert request.acknowledged_at is not None
    assert request.eta > request.received_at
    eta = romanian_datetime(request.eta)
    expect(portal.locator("main .messages .success")).to_have_text(RO["sent"])
    item = portal_request_item(portal)
    expect(item.locator(".badge")).to_have_text(RO["state_open"])
    expect(item).to_contain_text(RO["answer_by"].format(eta=eta))
    sections_loaded(portal)
    screenshot(portal, "request-02-portal-eta")

    # --- One tick and one delivery: the acknowledgement reaches the contact over SMTP ---------
    ack, to_provider = one_tick_and_delivery(inbox)
    assert ack.message["To"] == CONTACT_EMAIL
    assert ack.message["Content-Language"] == "ro"
    assert ack.subject == RO["ack_subject"].format(ref=request.reference, subject=SUBJECT)
    assert ack.text.startswith(RO["greeting"].format(name=CONTACT_NAME))
    for body in (ack.text, ack.html):
        assert RO["greeting"].format(name=CONTACT_NAME) in body
        assert RO["ack_thanks"].format(subject=SUBJECT) in body
        assert RO["ack_eta"].format(eta=eta) in body
        assert RO["ack_follow"] in body
        assert RO["signature"] in body
    sent_ack = Notification.objects.get(kind="request_ack")
    assert sent_ack.state == Notification.State.SENT
    assert (sent_ack.subject_type, sent_ack.subject_id) == ("request", request.pk)
    # The provider heard of it at once, in the same batch (P14): her instant notice.
    alert_text = f"New request from {CONTACT_NAME}: {SUBJECT}"
    [notice] = [m for m in to_provider if alert_text in m.text]
    assert notice.rcpt_tos == [alice.user.email]
    assert notice.subject == f"New client request: {CLIENT_NAME}"
    assert f"{live_server.url}/requests/{request.pk}/" in notice.text

    # --- The provider sees the alert and answers ----------------------------------------------
    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto("/alerts/")
    alert = staff.locator("li.alert").filter(has_text=alert_text)
    expect(alert).to_have_count(1)
    expect(alert.get_by_role("link", name=alert_text)).to_be_visible()
    expect(alert).to_contain_text(CLIENT_NAME)
    screenshot(staff, "request-03-alert-centre")

    alert.get_by_role("link", name="Act").click()
    expect(staff).to_have_url(f"{live_server.url}/requests/{request.pk}/")
    expect(staff.locator("h1")).to_contain_text(SUBJECT)
    expect(staff.locator("h1 .badge")).to_have_text("Open")
    expect(staff.locator(".page-head .sub")).to_contain_text(
        f"{CLIENT_NAME} · {CONTACT_NAME} · Portal · {request.reference}"
    )
    expect(staff.locator("main")).to_contain_text(BODY)
    decide = staff.locator(f"form[action$='/requests/{request.pk}/decide/']")
    decide.get_by_label("Done", exact=True).check()
    decide.get_by_label("Answer or reason (the client sees it)").fill(ANSWER)
    screenshot(staff, "request-04-request-page")
    decide.get_by_role("button", name="Close and tell the client").click()

    expect(staff).to_have_url(f"{live_server.url}/requests/")
    expect(staff.locator("ul.messages li.success")).to_have_text(
        "Request closed; the client has been told."
    )
    request.refresh_from_db()
    assert request.state == Request.State.DONE
    assert request.answer == ANSWER
    assert request.first_response_at is not None
    # Answering closed the alert: the alert centre no longer shows it.
    alert_row = Alert.objects.get(kind=Alert.Kind.REQUEST_RECEIVED, subject_id=request.pk)
    assert alert_row.state == Alert.State.DONE
    staff.goto("/alerts/")
    expect(staff.locator("h1")).to_have_text("Alerts")
    expect(staff.locator("li.alert").filter(has_text=alert_text)).to_have_count(0)

    # --- The contact sees the answer in the portal --------------------------------------------
    portal.goto("/p/")
    item = portal_request_item(portal)
    expect(item.locator(".badge")).to_have_text(RO["state_done"])
    expect(item).to_contain_text(ANSWER)
    expect(item).not_to_contain_text(RO["answer_by"].format(eta=eta))
    sections_loaded(portal)
    expect(portal.locator("main .messages")).to_have_count(0)
    screenshot(portal, "request-05-portal-answer")

    # --- And by email: the "done" message reaches the contact over SMTP ----------------------
    done, _to_provider = one_tick_and_delivery(inbox)
    assert done.message["Content-Language"] == "ro"
    assert done.subject == RO["done_subject"].format(ref=request.reference, subject=SUBJECT)
    assert done.text.startswith(RO["greeting"].format(name=CONTACT_NAME))
    for body in (done.text, done.html):
        assert RO["done_text"].format(subject=SUBJECT) in body
        assert ANSWER in body
        assert RO["signature"] in body
    sent = Notification.objects.filter(state=Notification.State.SENT)
    assert sent.filter(contact=ioana).count() == 2  # the acknowledgement and the answer
