"""Replies come back (P14, P17): threading to the request, the Unmatched page's three ways
out, mail that reached no workspace, the tick reading mailboxes, and fixed query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.conversations.inbound_mail import inbound_email_receive, unmatched_discard
from rapport.conversations.mailbox_jobs import scan_mailboxes_due
from rapport.conversations.mailboxes import mailbox_save
from rapport.conversations.models import InboundEmail, Mailbox, Request
from rapport.conversations.services import request_receive, request_reply
from rapport.conversations.tests.dovecot import PASSWORD, USER, Dovecot
from rapport.conversations.tests.test_imap import raw
from rapport.notifications.models import Alert, Notification


def _mail(workspace_token: str, **kwargs: Any) -> InboundEmail:
    base = {
        "sender": "carol@acme.example",
        "recipient": f"hello+{workspace_token}@rapport.example",
        "subject": "Hi",
        "text": "x",
    }
    return inbound_email_receive(**{**base, **kwargs})


def test_a_reply_to_an_open_request_stays_on_it_and_alerts_the_owner(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    token = alice.workspace.inbound_token
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    by_reference = _mail(token, subject=f"Re: [{request.reference}] Logo", message_id="<1@a>")
    by_re = _mail(token, subject="RE: logo", text="And in blue", message_id="<2@a>")
    fresh = _mail(token, subject="Invoice question", message_id="<3@a>")
    assert by_reference.request == request and by_re.request == request
    assert fresh.request is not None and fresh.request != request  # a new ask: a new request
    assert Alert.objects.filter(kind=Alert.Kind.REPLY_RECEIVED, subject_id=request.pk).count() == 2


def test_a_reply_after_an_answer_is_owed_an_answer_in_time(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    """Once the provider has answered, the client's next reply is a new answer owed within the
    response target (P14): a reply commitment, kept by the next answer."""
    token = alice.workspace.inbound_token
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    # Before any answer, a reply joins the answer already owed: no second commitment.
    _mail(token, subject=f"[{request.reference}] also", message_id="<0@a>")
    assert Commitment.objects.filter(request=request).count() == 1
    request_reply(request=request, actor=alice.user, message="Which shade of blue?")
    reply = _mail(token, subject=f"Re: [{request.reference}] Logo", message_id="<1@a>")
    owed = Commitment.objects.get(request=request, state=Commitment.State.OPEN)
    assert owed.kind == Commitment.Kind.REPLY and owed.due_at > reply.received_at
    assert carol.name in owed.wording
    request.refresh_from_db()
    request_reply(request=request, actor=alice.user, message="Navy it is.")
    owed.refresh_from_db()
    assert owed.state == Commitment.State.KEPT


def test_headers_naming_another_clients_email_do_not_thread(
    alice: Persona, acme: Client, carol: Contact, mallory: Persona
) -> None:
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    ack = Notification.objects.get(kind="request_ack", subject_id=request.pk)
    # A stranger quoting the (guessable) Message-ID is not threaded to carol's request.
    email = _mail(
        alice.workspace.inbound_token,
        sender="eve@evil.example",
        in_reply_to=f"<{ack.idempotency_key}@localhost>",
        message_id="<e@evil>",
    )
    assert email.request is None and email.workspace_id == alice.workspace.pk


def test_unmatched_email_becomes_a_lead_or_is_discarded_and_kept(
    alice: Persona, alice_http: HttpClient
) -> None:
    token = alice.workspace.inbound_token
    lead = _mail(token, sender="Dan@New.example", sender_name="Dan Brown", message_id="<l@n>")
    spam = _mail(token, sender="spam@bulk.example", subject="Win", message_id="<s@b>")
    response = alice_http.post(reverse("conversations:unmatched_lead", args=[lead.pk]), {})
    created = Request.objects.get()
    assert response["Location"] == reverse("conversations:detail", args=[created.pk])
    assert created.client.status == Client.Status.LEAD and created.client.name == "Dan Brown"
    assert created.contact is not None and created.contact.email == "dan@new.example"
    alice_http.post(reverse("conversations:unmatched_discard", args=[spam.pk]))
    spam.refresh_from_db()
    assert spam.discarded_at is not None and spam.handled_by == alice.user
    assert not Alert.objects.filter(kind=Alert.Kind.INBOUND_UNMATCHED, state="open").exists()
    page = alice_http.get(reverse("conversations:unmatched")).content.decode()
    assert "spam@bulk.example" in page and "Alice Papadopoulou" in page  # kept, with who
    again = alice_http.post(reverse("conversations:unmatched_discard", args=[spam.pk]))
    assert again.status_code == 404


def test_mail_to_an_unknown_token_is_kept_for_the_server_admin(alice: Persona) -> None:
    email = _mail("0123456789abcdef", sender="x@unknown.example", message_id="<o@x>")
    assert email.workspace_id is None
    call_command("inbound_orphans", assign=email.pk, workspace=alice.workspace.pk)
    email.refresh_from_db()
    assert email.workspace_id == alice.workspace.pk
    assert Alert.objects.filter(kind=Alert.Kind.INBOUND_UNMATCHED).count() == 1


def test_the_tick_reads_each_due_mailbox_once_a_minute(
    settings: Settings,
    alice: Persona,
    carol: Contact,
    dovecot: Dovecot,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.INBOUND_IMAP_ALLOW_INSECURE = True
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    mailbox_save(
        membership=alice.membership,
        address="studio@mail.example",
        host="127.0.0.1",
        port=dovecot.port,
        security="none",
        username=USER,
        password=PASSWORD,
        folder="INBOX",
    )
    dovecot.deliver(raw("carol@acme.example", "Logo", "A logo", "<a@acme>"))
    now = Mailbox.objects.get().next_poll_at
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_mailboxes_due(now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_mailboxes_due(now) == 0  # claimed for the next minute
    assert InboundEmail.objects.count() == 1


def _queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["request", "unmatched"])
def test_page_queries_do_not_grow(
    page: str, alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    request = request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    url = (
        reverse("conversations:detail", args=[request.pk])
        if page == "request"
        else reverse("conversations:unmatched")
    )

    def grow(start: int, n: int) -> None:
        for i in range(start, start + n):
            _mail(
                alice.workspace.inbound_token,
                subject=f"Re: [{request.reference}]",
                message_id=f"<r{i}@a>",
            )
            request_reply(request=request, actor=alice.user, message=f"Answer {i}")
            stray = _mail(
                alice.workspace.inbound_token, sender=f"s{i}@x.example", message_id=f"<s{i}@x>"
            )
            if i % 2:
                unmatched_discard(email=stray, actor=alice.user)

    grow(0, 2)
    small = _queries(alice_http, url)
    grow(2, 10)
    assert _queries(alice_http, url) == small <= 15
