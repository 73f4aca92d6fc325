"""Requests answered on time (P14): acknowledgement with ETA, alerts before the target,
decisions the client sees, inbound email threading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Workspace
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_update
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.conversations.inbound_mail import inbound_email_receive
from rapport.conversations.models import InboundEmail, Request
from rapport.conversations.selectors import response_metrics
from rapport.conversations.services import (
    request_decide,
    request_receive,
    request_reply,
)
from rapport.core.errors import ApplicationError
from rapport.core.periodic import tick_run
from rapport.notifications.models import Alert, Notification

MONDAY_10_ATHENS = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_10_ATHENS, tick=False) as traveller:
        yield traveller


@pytest.fixture
def athens_workspace(alice: Persona) -> Workspace:
    workspace = alice.workspace
    workspace.timezone = "Europe/Athens"
    workspace.save()
    return workspace


def test_request_is_acknowledged_at_once_with_eta(
    athens_workspace: Workspace, acme: Client, carol: Contact, clock: time_machine.Traveller
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="A new banner"
    )
    # 4 business hours from Monday 10:00 Athens -> 14:00 Athens = 12:00 UTC
    assert request.eta == dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    ack = Notification.objects.get(kind="request_ack")
    assert ack.urgent and ack.not_before <= MONDAY_10_ATHENS
    assert ack.language == "el"
    assert request.reference == f"R-{request.pk}"
    reply = Commitment.objects.get(request=request)
    assert reply.kind == Commitment.Kind.REPLY and reply.due_at == request.eta
    assert Alert.objects.filter(kind=Alert.Kind.REQUEST_RECEIVED, subject_id=request.pk).exists()


def test_client_override_of_response_target(
    athens_workspace: Workspace,
    alice: Persona,
    acme: Client,
    carol: Contact,
    clock: time_machine.Traveller,
) -> None:
    client_update(client=acme, actor=alice.user, response_target_hours=1)
    request = request_receive(
        client=acme, contact=carol, source="phone", subject="Call", body="Call me"
    )
    assert request.eta == dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_alert_before_target_is_missed(
    athens_workspace: Workspace, acme: Client, carol: Contact, clock: time_machine.Traveller
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="x"
    )
    clock.move_to(MONDAY_10_ATHENS + dt.timedelta(hours=2, minutes=59))
    tick_run()
    assert not Alert.objects.filter(kind=Alert.Kind.REQUEST_NEAR_TARGET).exists()
    clock.move_to(MONDAY_10_ATHENS + dt.timedelta(hours=3))  # 75% of 4 hours
    tick_run()
    tick_run()
    assert (
        Alert.objects.filter(kind=Alert.Kind.REQUEST_NEAR_TARGET, subject_id=request.pk).count()
        == 1
    )


def test_missed_target_breaks_the_reply_commitment(
    athens_workspace: Workspace, acme: Client, carol: Contact, clock: time_machine.Traveller
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="x"
    )
    clock.move_to(request.eta + dt.timedelta(minutes=1))
    tick_run()
    assert Commitment.objects.get(request=request).state == Commitment.State.BROKEN


def test_decision_done_keeps_commitment_and_tells_client(
    athens_workspace: Workspace,
    alice: Persona,
    acme: Client,
    carol: Contact,
    clock: time_machine.Traveller,
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="x"
    )
    clock.move_to(MONDAY_10_ATHENS + dt.timedelta(hours=1))
    request_decide(
        request=request, actor=alice.user, decision="done", message="Uploaded to the shared folder"
    )
    request.refresh_from_db()
    assert request.state == Request.State.DONE
    assert Commitment.objects.get(request=request).state == Commitment.State.KEPT
    done = Notification.objects.get(kind="request_done")
    assert "Uploaded to the shared folder" in done.body
    assert not Alert.objects.filter(
        subject_id=request.pk, subject_type="request", state="open"
    ).exists()
    metrics = response_metrics(
        workspace=acme.workspace, since=MONDAY_10_ATHENS - dt.timedelta(days=1)
    )
    assert metrics.within_target == 1 and metrics.median_first_response == dt.timedelta(hours=1)


def test_decline_needs_a_reason(
    athens_workspace: Workspace, alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="x"
    )
    with pytest.raises(ApplicationError) as exc:
        request_decide(request=request, actor=alice.user, decision="declined", message=" ")
    assert exc.value.field == "decision_reason"
    request_decide(
        request=request,
        actor=alice.user,
        decision="declined",
        message="Out of scope: see the quote",
    )
    assert "Out of scope" in Notification.objects.get(kind="request_declined").body
    with pytest.raises(ApplicationError):
        request_decide(request=request, actor=alice.user, decision="done", message="again")


def test_reply_counts_as_first_response_and_keeps_open(
    athens_workspace: Workspace, alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="x"
    )
    request_reply(request=request, actor=alice.user, message="Which size?")
    request.refresh_from_db()
    assert request.state == Request.State.OPEN and request.first_response_at is not None


def test_there_is_no_mark_all_read(alice_http: HttpClient) -> None:
    names = {
        p.name
        for p in __import__("rapport.conversations.urls", fromlist=["urlpatterns"]).urlpatterns
    }
    assert not any("read" in (n or "") for n in names)


def test_inbound_email_threads_by_reference(
    athens_workspace: Workspace, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="x"
    )
    email = inbound_email_receive(
        sender="Carol@Acme.example",
        recipient=f"hello+{athens_workspace.inbound_token}@rapport.example",
        subject=f"Re: [{request.reference}] Banner",
        text="Thanks!",
        message_id="<m1@acme>",
    )
    assert email.request == request
    assert Request.objects.count() == 1


def test_inbound_email_from_known_sender_opens_request(
    athens_workspace: Workspace, acme: Client, carol: Contact
) -> None:
    email = inbound_email_receive(
        sender="carol@acme.example",
        recipient="hello@rapport.example",
        subject="Logo",
        text="New logo please",
    )
    assert email.request is not None and email.request.source == Request.Source.EMAIL


def test_unknown_sender_is_kept_unmatched_with_sanitised_html(
    athens_workspace: Workspace, alice_http: HttpClient
) -> None:
    email = inbound_email_receive(
        sender="stranger@example.com",
        recipient=f"hello+{athens_workspace.inbound_token}@rapport.example",
        subject="Hello",
        text="",
        html='<p>Hi<script>alert(1)</script><img src=x onerror="alert(2)"></p>',
    )
    assert email.request is None
    assert "<script" not in email.html_sanitised and "onerror" not in email.html_sanitised
    assert Alert.objects.filter(kind=Alert.Kind.INBOUND_UNMATCHED).count() == 1
    page = alice_http.get(reverse("conversations:unmatched")).content.decode()
    assert "stranger@example.com" in page and "<script>alert(1)" not in page


def test_duplicate_webhook_delivery_is_kept_once(
    athens_workspace: Workspace, acme: Client, carol: Contact
) -> None:
    for _ in range(2):
        inbound_email_receive(
            sender="carol@acme.example",
            recipient="x",
            subject="Logo",
            text="x",
            message_id="<dup@x>",
        )
    assert InboundEmail.objects.count() == 1 and Request.objects.count() == 1


def test_anymail_postmark_inbound_webhook(
    athens_workspace: Workspace, acme: Client, carol: Contact
) -> None:
    import base64
    import json

    payload = {
        "FromFull": {"Email": "carol@acme.example", "Name": "Carol"},
        "ToFull": [
            {"Email": f"hello+{athens_workspace.inbound_token}@rapport.example", "Name": ""}
        ],
        "Subject": "Need a favicon",
        "TextBody": "Can you make one?",
        "HtmlBody": "",
        "MessageID": "abc-123",
        "Headers": [{"Name": "Message-ID", "Value": "<abc-123@acme.example>"}],
        "Date": "Mon, 23 Nov 2026 10:00:00 +0200",
    }
    auth = "Basic " + base64.b64encode(b"inbound:test-secret").decode()
    http = HttpClient()
    refused = http.post(
        "/inbound/postmark/inbound/", data=json.dumps(payload), content_type="application/json"
    )
    assert refused.status_code in (400, 401, 403)
    response = http.post(
        "/inbound/postmark/inbound/",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": auth},
    )
    assert response.status_code == 200
    assert Request.objects.get().subject == "Need a favicon"


def test_portal_request_form(athens_workspace: Workspace, acme: Client, carol: Contact) -> None:
    from rapport.clients.portal_links.services import portal_link_create

    _link, token = portal_link_create(contact=carol, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    bad = http.post(reverse("portal:request_new"), {"subject": "", "body": "x"})
    assert bad.status_code == 400
    ok = http.post(reverse("portal:request_new"), {"subject": "Favicon", "body": "Please"})
    assert ok.status_code == 302
    home = http.get(ok["Location"]).content.decode()
    assert "Favicon" in home


def test_inbox_per_client_metrics(
    athens_workspace: Workspace,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    mallory_data: dict[str, Any],
) -> None:
    request_receive(client=acme, contact=carol, source="portal", subject="Banner", body="x")
    page = alice_http.get(reverse("conversations:inbox") + f"?client={acme.pk}")
    assert page.status_code == 200 and page.context["metrics"].count == 1
    assert (
        alice_http.get(
            reverse("conversations:inbox") + f"?client={mallory_data['client'].pk}"
        ).status_code
        == 404
    )
