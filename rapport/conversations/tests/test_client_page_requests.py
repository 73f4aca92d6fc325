"""The client page's requests card leads with what the client is still waiting for."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.conversations.selectors import CLIENT_PAGE_REQUESTS, client_requests
from rapport.conversations.services import request_decide, request_receive


def test_open_requests_come_first_then_the_latest_closed(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    now = timezone.now()

    def receive(subject: str, days_ago: int) -> None:
        request_receive(
            client=acme,
            contact=carol,
            source="portal",
            subject=subject,
            body="…",
            received_at=now - dt.timedelta(days=days_ago),
        )

    receive("Old question, still open", 30)
    for i in range(CLIENT_PAGE_REQUESTS + 2):
        receive(f"Answered {i}", i)
    for r in acme.requests.filter(subject__startswith="Answered"):
        request_decide(request=r, actor=alice.user, decision="done", message="Done.")

    shown = [r.subject for r in client_requests(client=acme)]

    # The month-old open request is not pushed off the card by a dozen newer answered ones.
    assert shown[0] == "Old question, still open"
    assert shown[1:] == [f"Answered {i}" for i in range(CLIENT_PAGE_REQUESTS - 1)]
