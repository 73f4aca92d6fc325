"""An answer goes to the contact who wrote last (P14): a colleague of the client who took the
thread over by email is answered, not the person who first asked."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_archive, contact_create
from rapport.conftest import Persona
from rapport.conversations.inbound_mail import inbound_email_receive
from rapport.conversations.models import Request
from rapport.conversations.selectors import request_answer_contact
from rapport.conversations.services import request_decide, request_receive, request_reply
from rapport.notifications.models import Alert, Notification


def _dan(acme: Client, alice: Persona) -> Contact:
    return contact_create(
        client=acme, actor=alice.user, name="Dan Mitsou", email="Dan@Acme.example", language="ro"
    )


def _reply(alice: Persona, request: Request, sender: str, message_id: str) -> None:
    email = inbound_email_receive(
        sender=sender,
        recipient=f"hello+{alice.workspace.inbound_token}@rapport.example",
        subject=f"Re: [{request.reference}] {request.subject}",
        text="Also in blue, please.",
        message_id=message_id,
    )
    assert email.request_id == request.pk


def _answers(request: Request) -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(subject_type="request", subject_id=request.pk)
        .exclude(kind="request_ack")
        .order_by("id")
        .values_list("kind", "address", "language")
    )


def test_the_answer_goes_to_the_colleague_who_replied(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    dan = _dan(acme, alice)
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    _reply(alice, request, "dan@acme.example", "<1@acme>")
    assert request_answer_contact(request=request) == dan
    request_reply(request=request, actor=alice.user, message="Blue it is.")
    request_decide(request=request, actor=alice.user, decision="done", message="Done, in blue.")
    # Both to dan, in his language; the request still names carol as who asked.
    assert _answers(request) == [
        ("request_reply", "dan@acme.example", "ro"),
        ("request_done", "dan@acme.example", "ro"),
    ]
    request.refresh_from_db()
    assert request.contact == carol


def test_the_latest_writer_wins(alice: Persona, acme: Client, carol: Contact) -> None:
    _dan(acme, alice)
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    _reply(alice, request, "dan@acme.example", "<1@acme>")
    _reply(alice, request, "carol@acme.example", "<2@acme>")
    request_reply(request=request, actor=alice.user, message="Noted.")
    assert _answers(request) == [("request_reply", "carol@acme.example", "el")]


def test_without_replies_the_contact_who_asked_is_answered(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    request_reply(request=request, actor=alice.user, message="On it.")
    assert _answers(request) == [("request_reply", "carol@acme.example", "el")]


def test_a_writer_archived_since_is_not_answered(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    dan = _dan(acme, alice)
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    _reply(alice, request, "dan@acme.example", "<1@acme>")
    contact_archive(contact=dan, actor=alice.user)  # dan left the client
    assert request_answer_contact(request=request) == carol


def test_the_request_page_says_who_the_answer_goes_to(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    _dan(acme, alice)
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    url = reverse("conversations:detail", args=[request.pk])
    assert "go to Carol Georgiou, who wrote last" in alice_http.get(url).content.decode()
    _reply(alice, request, "dan@acme.example", "<1@acme>")
    page: Any = alice_http.get(url)
    assert page.context["answer_to"].name == "Dan Mitsou"
    assert "go to Dan Mitsou, who wrote last" in page.content.decode()


def test_answering_closes_the_alert_of_the_clients_reply(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    request_reply(request=request, actor=alice.user, message="On it.")
    _reply(alice, request, "carol@acme.example", "<1@acme>")
    replied = Alert.objects.get(kind=Alert.Kind.REPLY_RECEIVED, subject_id=request.pk)
    assert replied.state == Alert.State.OPEN
    request_reply(request=request, actor=alice.user, message="Blue it is.")
    replied.refresh_from_db()
    assert replied.state == Alert.State.DONE and replied.resolved_at is not None
