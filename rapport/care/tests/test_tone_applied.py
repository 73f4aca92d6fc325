"""The tone of every client message is read as it arrives (P23, P24; ADR 0032): portal and
email requests and email replies, in each language, with the alert it raises; a classifier
that fails never costs the message."""

from __future__ import annotations

import pytest
from django.utils import translation

from rapport.care import tone
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.conversations.inbound_mail import inbound_email_receive
from rapport.conversations.models import InboundEmail, Request
from rapport.conversations.services import request_receive
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert

# One message a language: (language, portal request, label, email reply, label, a cue).
MESSAGES = [
    (
        "en",
        "I am disappointed, the site is late again.",
        "unhappy",
        "You are incompetent idiots, I will call my lawyer.",
        "hostile",
        "idiots",
    ),
    (
        "el",
        "Δεν είμαι ευχαριστημένος, αργήσατε πάλι.",
        "unhappy",
        "Είστε ανίκανοι απατεώνες, θα πάω σε δικηγόρο.",
        "hostile",
        "απατεώνες",
    ),
    (
        "ro",
        "Sunteți niște escroci și incompetenți, vă dau în judecată.",
        "hostile",
        "Nu sunt mulțumit, lucrarea a întârziat din nou.",
        "unhappy",
        "întârziat",
    ),
    (
        "id",
        "Kalian penipu dan tidak becus, saya akan lapor ke pengacara.",
        "hostile",
        "Saya sangat kecewa, pekerjaan ini terlambat lagi.",
        "unhappy",
        "kecewa",
    ),
]


def _contact(acme: Client, alice: Persona, language: str) -> Contact:
    return contact_create(
        client=acme,
        actor=alice.user,
        name=f"Writer {language}",
        email=f"writer-{language}@acme.example",
        language=language,
    )


@pytest.mark.parametrize(
    ("language", "asked", "asked_label", "reply", "reply_label", "cue"), MESSAGES
)
def test_portal_request_and_email_reply_are_read_in_the_contacts_language(
    alice: Persona,
    acme: Client,
    language: str,
    asked: str,
    asked_label: str,
    reply: str,
    reply_label: str,
    cue: str,
) -> None:
    contact = _contact(acme, alice, language)
    request = request_receive(
        client=acme, contact=contact, source=Request.Source.PORTAL, subject="Website", body=asked
    )
    request.refresh_from_db()
    assert request.tone == asked_label and request.tone_score and request.tone_score > 0
    assert request.tone_cues and all(c["text"] in asked for c in request.tone_cues)

    email = inbound_email_receive(
        sender=contact.email,
        recipient=f"hello+{alice.workspace.inbound_token}@rapport.example",
        subject=f"Re: [{request.reference}] Website",
        text=f"{reply}\n\nOn Monday, Alice wrote:\n> Everything is fine, thank you!\n",
        message_id=f"<reply-{language}@acme.example>",
    )
    email.refresh_from_db()
    assert email.request_id == request.pk
    assert email.tone == reply_label
    assert cue in [c["text"] for c in email.tone_cues]
    # The quoted tail is the provider's words: never read as the client's.
    assert all("fine" not in c["text"] for c in email.tone_cues)

    alerts = {a.subject_type: a for a in Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET)}
    assert set(alerts) == {"request", "inboundemail"}
    for alert, label in ((alerts["request"], asked_label), (alerts["inboundemail"], reply_label)):
        hostile = label == "hostile"
        assert alert.severity == (Alert.Severity.URGENT if hostile else Alert.Severity.WARNING)
        assert alert.data["hostile"] is hostile and alert.data["label"] == label
        assert alert.data["request_id"] == request.pk
        assert alert.data["contact_id"] == contact.pk
        assert alert.data["language"] == language
        assert alert.assignee_id == alice.user.pk
    with translation.override("en"):
        article = "a" if reply_label == "hostile" else "an"
        assert alert_text(alerts["inboundemail"]) == (
            f"{contact.name} may be upset: {article} {reply_label} message"
        )


def test_a_neutral_message_is_labelled_and_raises_nothing(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme,
        contact=carol,
        source="email",
        subject="Αρχεία",
        body="Καλημέρα, ευχαριστώ για τα αρχεία.",
    )
    request.refresh_from_db()
    assert request.tone == "neutral" and request.tone_score == 0 and request.tone_cues == []
    assert not Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET).exists()


def test_a_phone_request_is_the_providers_summary_and_not_read(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme,
        contact=carol,
        source="phone",
        subject="Call",
        body="Carol called: she is angry, says we are idiots.",
        actor=alice.user,
    )
    request.refresh_from_db()
    assert request.tone == "" and request.tone_score is None
    assert not Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET).exists()


def test_an_email_request_is_read_and_its_subject_counts(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    """A new email from a known contact is a request: the subject is the client's words too."""
    email = inbound_email_receive(
        sender=carol.email,
        recipient=f"hello+{alice.workspace.inbound_token}@rapport.example",
        subject="Απατεώνες!",
        text="Πού είναι τα αρχεία;",
        message_id="<new@acme.example>",
    )
    assert email.request is not None
    email.request.refresh_from_db()
    assert email.request.tone == "hostile"
    assert Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET).subject_type == "request"


def test_a_failing_classifier_never_costs_the_message(
    alice: Persona, acme: Client, carol: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, language: str | None = None) -> tone.ToneResult:
        raise RuntimeError("the classifier is down")

    monkeypatch.setattr(tone, "classify", broken)
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Ανίκανοι!"
    )
    email = inbound_email_receive(
        sender=carol.email,
        recipient=f"hello+{alice.workspace.inbound_token}@rapport.example",
        subject=f"Re: [{request.reference}] Logo",
        text="Απατεώνες!",
        message_id="<down@acme.example>",
    )
    # Both are stored, unread, with everything else the arrival does (ack, alerts).
    stored = Request.objects.get(pk=request.pk)
    assert stored.tone == "" and stored.body == "Ανίκανοι!"
    assert InboundEmail.objects.get(pk=email.pk).request_id == request.pk
    assert Alert.objects.filter(kind=Alert.Kind.REQUEST_RECEIVED).count() == 1
    assert Alert.objects.filter(kind=Alert.Kind.REPLY_RECEIVED).count() == 1
    assert not Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET).exists()


def test_a_failing_write_in_the_receiver_is_rolled_back_alone(
    alice: Persona, acme: Client, carol: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The receiver's savepoint: a write that fails after the label was saved leaves no half
    (no label without its alert) and the request is kept."""
    from rapport.care.upset import receivers

    def failing(**kwargs: object) -> None:
        raise RuntimeError("alert table unavailable")

    monkeypatch.setattr(receivers, "client_upset_raise", failing)
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Ανίκανοι!"
    )
    stored = Request.objects.get(pk=request.pk)
    assert stored.tone == "" and stored.tone_score is None


def test_the_owner_is_told_at_once_of_a_hostile_message_only(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    """An urgent upset alert is told at once, even in quiet hours; an unhappy one waits for
    the alert centre (its request was told at once already)."""
    from rapport.notifications.models import Notification

    request_receive(client=acme, contact=carol, source="portal", subject="A", body="Αργήσατε.")
    assert not Notification.objects.filter(kind="notice_client_upset").exists()
    request_receive(client=acme, contact=carol, source="portal", subject="B", body="Απατεώνες!")
    notice = Notification.objects.get(kind="notice_client_upset")
    assert notice.user_id == alice.user.pk
