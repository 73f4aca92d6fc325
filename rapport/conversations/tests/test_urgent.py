"""A client can mark a request urgent (P14): the account owner hears of it at once, even in
their quiet hours; a request that is not urgent waits for the end of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.notifications.members import member_notify_update
from rapport.notifications.models import Alert, Notification

# Monday 23 November 2026, 21:00 in Athens (UTC+2): inside alice's quiet hours, 20:00-08:00.
MONDAY_21_ATHENS = dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.UTC)
# When her quiet hours end: Tuesday 08:00 in Athens.
TUESDAY_08_ATHENS = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def quiet_evening(alice: Persona) -> Iterator[time_machine.Traveller]:
    member_notify_update(
        membership=alice.membership,
        channel="email",
        address="",
        quiet_hours_start=dt.time(20),
        quiet_hours_end=dt.time(8),
    )
    with time_machine.travel(MONDAY_21_ATHENS, tick=False) as traveller:
        yield traveller


def portal_http(carol: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=carol, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def owner_notice(alice: Persona) -> Notification:
    return Notification.objects.get(user=alice.user, kind="notice_request_received")


def test_an_urgent_portal_request_reaches_the_owner_in_her_quiet_hours(
    quiet_evening: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    response = portal_http(carol).post(
        reverse("portal:request_new"),
        {"subject": "The shop is down", "body": "Nobody can pay.", "urgent": "on"},
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.urgent
    alert = Alert.objects.get(kind=Alert.Kind.REQUEST_RECEIVED, subject_id=request.pk)
    assert alert.data["urgent"] is True
    notice = owner_notice(alice)
    assert notice.urgent and notice.not_before == MONDAY_21_ATHENS
    assert notice.address == alice.user.email
    assert notice.subject.startswith("Urgent:")


def test_a_request_that_is_not_urgent_waits_for_the_end_of_quiet_hours(
    quiet_evening: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    response = portal_http(carol).post(
        reverse("portal:request_new"), {"subject": "A new banner", "body": "When you can."}
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert not request.urgent
    alert = Alert.objects.get(kind=Alert.Kind.REQUEST_RECEIVED, subject_id=request.pk)
    assert "urgent" not in alert.data
    notice = owner_notice(alice)
    assert not notice.urgent and notice.not_before == TUESDAY_08_ATHENS
    assert not notice.subject.startswith("Urgent:")


def test_the_portal_form_offers_the_urgent_box(acme: Client, carol: Contact) -> None:
    page = portal_http(carol).get(reverse("portal:request_new")).content.decode()
    assert 'type="checkbox" name="urgent"' in page
    with translation.override(carol.effective_language):  # the portal speaks the contact's
        assert gettext("It is urgent") in page


def test_a_request_logged_by_the_provider_can_be_urgent(
    quiet_evening: time_machine.Traveller,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
) -> None:
    bad = alice_http.post(
        reverse("conversations:log"),
        {"contact": carol.pk, "source": "phone", "subject": "", "body": "x", "urgent": "on"},
    )
    assert bad.status_code == 400 and not Request.objects.exists()  # nothing half-written
    assert "subject" in bad.context["form"].errors
    response = alice_http.post(
        reverse("conversations:log"),
        {
            "contact": carol.pk,
            "source": "phone",
            "subject": "Server down",
            "body": "Called at nine.",
            "urgent": "on",
        },
    )
    request = Request.objects.get()
    assert response["Location"] == reverse("conversations:detail", args=[request.pk])
    assert request.urgent
    notice = owner_notice(alice)
    assert notice.urgent and notice.not_before == MONDAY_21_ATHENS


def test_urgent_requests_lead_the_inbox_and_say_so(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    calm = request_receive(client=acme, contact=carol, source="portal", subject="Calm", body="x")
    urgent = request_receive(
        client=acme, contact=carol, source="portal", subject="Burning", body="x", urgent=True
    )
    assert calm.eta <= urgent.eta  # by its ETA alone, the calm one would come first
    inbox = alice_http.get(reverse("conversations:inbox"))
    assert [r.pk for r in inbox.context["requests"]] == [urgent.pk, calm.pk]
    html = inbox.content.decode()
    assert html.count('<span class="badge overdue">Urgent</span>') == 1
    assert html.index("Burning") < html.index("Calm")
    detail = alice_http.get(reverse("conversations:detail", args=[urgent.pk])).content.decode()
    assert '<span class="badge overdue">Urgent</span>' in detail
    calm_page = alice_http.get(reverse("conversations:detail", args=[calm.pk])).content.decode()
    assert '<span class="badge overdue">Urgent</span>' not in calm_page


def test_the_portal_marks_an_open_urgent_request(acme: Client, carol: Contact) -> None:
    urgent = request_receive(
        client=acme, contact=carol, source="portal", subject="Site down", body="x", urgent=True
    )
    request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    http = portal_http(carol)
    with translation.override(carol.effective_language):
        mark = f'<span class="badge overdue">{gettext("Urgent")}</span>'
    page = http.get(reverse("portal:home")).content.decode()
    assert page.count(mark) == 1
    items = page.split("<li>")
    [marked] = [item for item in items if mark in item]
    assert urgent.subject in marked and "Logo" not in marked
