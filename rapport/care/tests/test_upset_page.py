"""The de-escalation page (P23, P24, P28): what was seen with its cues, the six steps, the
temperament notes, the boundary message in the contact's language, the prefilled answer."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from rapport.care.keepintouch.services import win_back_draft
from rapport.care.tests.fixtures import greeting_alert
from rapport.care.upset.services import UpsetSource, client_upset_raise
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_update, contact_create
from rapport.commitments.services.promises import promise_create
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.notifications.alerts import alert_action_url
from rapport.notifications.models import Alert
from rapport.projects.models import Deliverable, Project

HOSTILE = {
    "el": "Είστε ανίκανοι απατεώνες, θα πάω σε δικηγόρο.",
    "ro": "Sunteți niște escroci și incompetenți, vă dau în judecată.",
    "id": "Kalian penipu dan tidak becus, saya akan lapor ke pengacara.",
}
# A line of the boundary message as each .po file translates it.
BOUNDARY = {
    "el": "δεν μπορούμε να συνεχίσουμε τη συζήτηση με αυτόν τον τόνο",
    "ro": "nu putem continua conversația pe acest ton",
    "id": "kami tidak dapat melanjutkan percakapan dengan nada seperti ini",
}
GREETING = {"el": "Γεια σας,", "ro": "Bună ziua,", "id": "Yth."}


def _hostile_alert(acme: Client, alice: Persona, language: str) -> tuple[Alert, Contact, Request]:
    contact = contact_create(
        client=acme,
        actor=alice.user,
        name=f"Writer {language}",
        email=f"writer-{language}@acme.example",
        language=language,
        timezone="Europe/Bucharest",
    )
    request = request_receive(
        client=acme, contact=contact, source="portal", subject="Website", body=HOSTILE[language]
    )
    alert = Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET, subject_id=request.pk)
    return alert, contact, request


@pytest.mark.parametrize("language", ["el", "ro", "id"])
def test_hostile_page_has_steps_temperament_and_boundary_in_the_contacts_language(
    alice: Persona, alice_http: HttpClient, acme: Client, language: str
) -> None:
    client_update(client=acme, actor=alice.user, temperament_notes="Hates calls before ten.")
    alert, contact, request = _hostile_alert(acme, alice, language)
    url = alert_action_url(alert)
    assert url == reverse("care:upset_detail", args=[alert.pk])
    page = alice_http.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # What was seen: the words, with the cues marked.
    for cue in request.tone_cues:
        assert f"<mark>{cue['text']}</mark>" in html
    # The six steps, in the provider's language (English here).
    for step in (
        "Listen",
        "Acknowledge",
        "Restate",
        "No argument in writing",
        "Propose a call",
        "One next step",
    ):
        assert f"<strong>{step}</strong>" in html
    assert "Hates calls before ten." in html
    boundary = page.context["boundary"]
    assert BOUNDARY[language] in boundary
    assert boundary.startswith(GREETING[language]) and contact.name in boundary
    assert "Website" in boundary and alice.user.name in boundary
    # The answer link fills the request's reply box with it; nothing is sent by opening it.
    answer = urlparse(page.context["answer_url"])
    assert answer.path == reverse("conversations:detail", args=[request.pk])
    assert parse_qs(answer.query)["draft"] == [boundary]
    detail = alice_http.get(page.context["answer_url"])
    assert detail.context["reply_form"].initial["message"] == boundary


def test_unhappy_page_has_no_boundary_and_can_be_marked_done(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Αργήσατε πάλι."
    )
    alert = Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET, subject_id=request.pk)
    page = alice_http.get(reverse("care:upset_detail", args=[alert.pk]))
    assert page.status_code == 200
    assert "boundary" not in page.context
    assert "No notes on this client's temperament yet." in page.content.decode()
    done = alice_http.post(
        reverse("notifications:alert_resolve", args=[alert.pk]), {"next": "/alerts/"}
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE


def test_a_pulse_alert_reads_generically(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    """Another source (the pulse) has no words: the page shows its sentence, the client and
    the contact, and the checklist."""
    alert, _ = client_upset_raise(
        client=acme,
        source=UpsetSource.PULSE,
        subject=carol,
        reason="the pulse fell from 5 to 2",
        contact=carol,
        data={"trend": [5, 2]},
    )
    page = alice_http.get(alert_action_url(alert))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{carol.name} may be upset: the pulse fell from 5 to 2" in html
    assert "<mark>" not in html and "<strong>Listen</strong>" in html


def test_another_workspaces_alert_is_404(
    alice: Persona, mallory_http: HttpClient, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Απατεώνες!"
    )
    alert = Alert.objects.get(kind=Alert.Kind.CLIENT_UPSET, subject_id=request.pk)
    assert mallory_http.get(reverse("care:upset_detail", args=[alert.pk])).status_code == 404


def test_another_kind_of_alert_is_404(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    request = request_receive(client=acme, contact=carol, source="portal", subject="Hi", body=".")
    other = Alert.objects.get(kind=Alert.Kind.REQUEST_RECEIVED, subject_id=request.pk)
    assert alice_http.get(reverse("care:upset_detail", args=[other.pk])).status_code == 404


def test_tone_badges_on_the_inbox_and_the_request(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    hostile = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Είστε απατεώνες!"
    )
    request_receive(client=acme, contact=carol, source="portal", subject="Hi", body="Ευχαριστώ.")
    inbox = alice_http.get(reverse("conversations:inbox")).content.decode()
    assert inbox.count('class="tone-badge') == 1
    assert 'title="απατεώνες"' in inbox and "<mark>απατεώνες</mark>" in inbox
    detail = alice_http.get(reverse("conversations:detail", args=[hostile.pk])).content.decode()
    assert 'class="tone-badge hostile"' in detail and ">Hostile</summary>" in detail


def test_a_hostile_reply_shows_on_the_inbox_row_and_in_the_thread(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    from rapport.conversations.inbound_mail import inbound_email_receive

    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Ευχαριστώ."
    )
    inbound_email_receive(
        sender=carol.email,
        recipient=f"hello+{alice.workspace.inbound_token}@rapport.example",
        subject=f"Re: [{request.reference}] Logo",
        text="Είστε ανίκανοι!",
        message_id="<r@acme.example>",
    )
    inbox = alice_http.get(reverse("conversations:inbox")).content.decode()
    assert 'class="tone-badge hostile"' in inbox and "In a reply from the client" in inbox
    detail = alice_http.get(reverse("conversations:detail", args=[request.pk])).content.decode()
    assert detail.count('class="tone-badge hostile"') == 1
    assert "<mark>ανίκανοι</mark>" in detail


def test_temperament_shown_on_every_page_that_writes_to_the_client(
    alice: Persona, alice_http: HttpClient, acme: Client, website: object
) -> None:
    """P28: the problem report, the change request and the quote remind the writer too (the
    update, delay notice and request pages are checked in clients/tests/test_handover.py)."""
    client_update(client=acme, actor=alice.user, temperament_notes="Wants short summaries.")
    pk = website.pk  # type: ignore[attr-defined]
    for url in (
        reverse("care:problem_new", args=[pk]),
        reverse("agreements:change_create", args=[pk]),
        reverse("agreements:quote_create", args=[pk]),
    ):
        page = alice_http.get(url)
        assert page.status_code == 200, url
        assert "Wants short summaries." in page.content.decode(), url


def test_temperament_shown_on_the_other_pages_that_write_to_the_client(
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    layouts: Deliverable,
) -> None:
    """P28: every other form whose words reach the client shows the notes above it: a
    recommendation to decide, a check-in or win-back draft, a greeting, a promise and its
    cancellation or new date, a questionnaire, a milestone done with deliverables pending, and
    the delivery of a deliverable."""
    client_update(client=acme, actor=alice.user, temperament_notes="Wants short summaries.")
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Send the logo files",
        due_at=timezone.now() + timedelta(days=3),
    )
    check_in = win_back_draft(client=acme, actor=alice.user)
    greeting = greeting_alert(carol)
    for url in (
        reverse("care:decision_new", args=[website.pk]),
        reverse("care:check_in_detail", args=[check_in.pk]),
        reverse("care:greeting_detail", args=[greeting.pk]),
        reverse("commitments:promise_new", args=[acme.pk]),
        reverse("commitments:cancel", args=[promise.pk]),
        reverse("commitments:renegotiate", args=[promise.pk]),
        reverse("clients:brief_send", args=[acme.pk]),
        reverse("projects:deliverable_detail", args=[layouts.pk]),
    ):
        page = alice_http.get(url)
        assert page.status_code == 200, url
        assert "Wants short summaries." in page.content.decode(), url
    # "Mark done" with a deliverable pending answers with the question: who to tell.
    done = alice_http.post(reverse("projects:milestone_complete", args=[layouts.milestone_id]))
    assert done.status_code == 200
    assert "Wants short summaries." in done.content.decode()
