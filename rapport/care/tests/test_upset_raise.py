"""The client-upset alert (P23, P24): raised once per signal, urgent for abuse, to the owner."""

from __future__ import annotations

from django.utils import translation

from rapport.care.upset.services import UpsetSource, client_upset_raise
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert


def _request(carol: Contact) -> Request:
    return request_receive(
        client=carol.client, contact=carol, source=Request.Source.PORTAL, subject="Late", body="."
    )


def test_raised_once_per_subject_and_source(alice: Persona, carol: Contact) -> None:
    request = _request(carol)
    first, created = client_upset_raise(
        client=carol.client,
        source=UpsetSource.TONE,
        subject=request,
        reason="an unhappy message",
        contact=carol,
    )
    again, created_again = client_upset_raise(
        client=carol.client,
        source=UpsetSource.TONE,
        subject=request,
        reason="an unhappy message",
        contact=carol,
    )
    assert created and not created_again and again.pk == first.pk
    assert first.kind == Alert.Kind.CLIENT_UPSET
    assert first.severity == Alert.Severity.WARNING
    assert first.assignee_id == carol.client.account_owner_id
    assert first.data["contact_id"] == carol.pk
    # Another source about the same subject is another alert.
    _, other = client_upset_raise(
        client=carol.client, source=UpsetSource.PULSE, subject=request, reason="x"
    )
    assert other


def test_hostile_is_urgent_and_reads_with_the_name(alice: Persona, carol: Contact) -> None:
    alert, _ = client_upset_raise(
        client=carol.client,
        source=UpsetSource.TONE,
        subject=_request(carol),
        reason="a hostile message",
        contact=carol,
        hostile=True,
        data={"name": "not this", "cues": ["useless"]},
    )
    assert alert.severity == Alert.Severity.URGENT
    assert alert.data["hostile"] is True and alert.data["cues"] == ["useless"]
    with translation.override("en"):
        assert alert_text(alert) == f"{carol.name} may be upset: a hostile message"
