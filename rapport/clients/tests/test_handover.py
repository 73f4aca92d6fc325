"""Handing a client over (P27): the note is required, the new owner sees it until read, the
contacts are told in their language, and no one outside the workspace reaches any of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import Membership, User
from rapport.clients.handover import handover_mark_read, handover_record
from rapport.clients.models import Client, Contact, Handover
from rapport.clients.services import client_update, contact_create
from rapport.commitments.services import promise_create
from rapport.conftest import Persona, login
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Notification
from rapport.projects.models import Milestone, Project


@pytest.fixture
def bob(alice: Persona) -> User:
    user = User.objects.create_user(email="bob@example.com", password="x" * 20, name="Bob Ionescu")
    Membership.objects.create(workspace=alice.workspace, user=user)
    return user


def test_handover_changes_owner_keeps_note_and_tells_contacts(
    alice: Persona, bob: User, acme: Client, carol: Contact
) -> None:
    ro = contact_create(
        client=acme, actor=alice.user, name="Radu", email="radu@acme.example", language="ro"
    )
    handover = handover_record(client=acme, actor=alice.user, new_owner=bob, note=" Decides fast. ")
    acme.refresh_from_db()
    assert acme.account_owner == bob
    assert handover.note == "Decides fast."
    assert handover.from_user == alice.user and handover.to_user == bob
    event = TimelineEvent.objects.get(client=acme, verb="client.handed_over")
    assert event.data == {"old": alice.user.name, "new": bob.name}
    sent = {
        n.contact_id: n
        for n in Notification.objects.filter(dedupe_key__startswith="handover_notice:")
    }
    assert set(sent) == {carol.pk, ro.pk}
    # Each contact reads it in their own language, with the new owner's name.
    assert "Bob Ionescu" in sent[carol.pk].body and "Bob Ionescu" in sent[ro.pk].body
    assert "επαφή" in sent[carol.pk].subject
    assert "contact" in sent[ro.pk].subject.lower()
    assert sent[carol.pk].body != sent[ro.pk].body


@pytest.mark.parametrize(
    ("note", "owner", "field"),
    [("   ", "bob", "note"), ("x" * 10_001, "bob", "note"), ("ok", None, "new_owner")],
)
def test_refusals_name_the_field_and_write_nothing(
    alice: Persona,
    bob: User,
    acme: Client,
    carol: Contact,
    note: str,
    owner: str | None,
    field: str,
) -> None:
    with pytest.raises(ApplicationError) as exc:
        handover_record(client=acme, actor=alice.user, new_owner=bob if owner else None, note=note)
    assert exc.value.field == field
    acme.refresh_from_db()
    assert acme.account_owner == alice.user
    assert not Handover.objects.exists() and not Notification.objects.exists()


def test_the_current_owner_and_outsiders_are_refused(
    alice: Persona, mallory: Persona, acme: Client
) -> None:
    for someone in (alice.user, mallory.user):
        with pytest.raises(ApplicationError) as exc:
            handover_record(client=acme, actor=alice.user, new_owner=someone, note="n")
        assert exc.value.field == "new_owner"
    assert not Handover.objects.exists()


def test_the_edit_form_cannot_skip_the_note(alice: Persona, bob: User, acme: Client) -> None:
    with pytest.raises(ApplicationError) as exc:
        client_update(client=acme, actor=alice.user, account_owner=bob)
    assert exc.value.field == "account_owner"
    acme.refresh_from_db()
    assert acme.account_owner == alice.user
    # Clearing the owner (as when a member leaves) and naming a first one need no note.
    client_update(client=acme, actor=alice.user, account_owner=None)
    client_update(client=acme, actor=alice.user, account_owner=bob)
    acme.refresh_from_db()
    assert acme.account_owner == bob


def test_only_the_new_owner_marks_it_read(alice: Persona, bob: User, acme: Client) -> None:
    handover = handover_record(client=acme, actor=alice.user, new_owner=bob, note="n")
    with pytest.raises(ApplicationError):
        handover_mark_read(handover=handover, actor=alice.user)
    handover_mark_read(handover=handover, actor=bob)
    first = handover.read_at
    assert first is not None
    handover_mark_read(handover=handover, actor=bob)
    assert handover.read_at == first


def test_page_prefills_temperament_and_open_promises(
    alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    client_update(client=acme, actor=alice.user, temperament_notes="Hates calls before ten.")
    promise_create(
        client=acme,
        actor=alice.user,
        wording="Send the price list",
        due_at=timezone.now() + dt.timedelta(days=3),
    )
    page = alice_http.get(reverse("commitments:handover", args=[acme.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hates calls before ten." in text and "Send the price list" in text


def test_page_flow_new_owner_sees_note_until_read(
    alice_http: HttpClient, bob: User, acme: Client, carol: Contact
) -> None:
    url = reverse("commitments:handover", args=[acme.pk])
    refused = alice_http.post(url, {"new_owner": bob.pk, "note": ""})
    assert refused.status_code == 400
    assert not Handover.objects.exists()
    done = alice_http.post(url, {"new_owner": bob.pk, "note": "Pays late; be kind."})
    assert done.status_code == 302
    bob_http = login(HttpClient(), Persona(user=bob, membership=bob.memberships.get()))
    detail = reverse("clients:detail", args=[acme.pk])
    assert "Pays late; be kind." in bob_http.get(detail).content.decode()
    assert "Pays late; be kind." not in alice_http.get(detail).content.decode()
    handover = Handover.objects.get()
    read_url = reverse("clients:handover_read", args=[handover.pk])
    assert alice_http.post(read_url).status_code == 404  # not hers to mark
    assert bob_http.post(read_url).status_code == 302
    assert "Pays late; be kind." not in bob_http.get(detail).content.decode()


def test_outsider_gets_404(
    alice: Persona, bob: User, acme: Client, mallory_http: HttpClient
) -> None:
    handover = handover_record(client=acme, actor=alice.user, new_owner=bob, note="n")
    url = reverse("commitments:handover", args=[acme.pk])
    assert mallory_http.get(url).status_code == 404
    assert mallory_http.post(url, {"new_owner": bob.pk, "note": "n"}).status_code == 404
    read_url = reverse("clients:handover_read", args=[handover.pk])
    assert mallory_http.post(read_url).status_code == 404
    handover.refresh_from_db()
    assert handover.read_at is None


def test_temperament_shown_where_we_write(
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
) -> None:
    """P28: the update page, the delay notice and a request's answer remind the writer."""
    client_update(client=acme, actor=alice.user, temperament_notes="Wants short summaries.")
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Banner", body="A new banner"
    )
    for url in (
        reverse("projects:update_compose", args=[website.pk]),
        reverse("projects:delay_notice", args=[design_milestone.pk]),
        reverse("conversations:detail", args=[request.pk]),
    ):
        page = alice_http.get(url)
        assert page.status_code == 200, url
        assert "Wants short summaries." in page.content.decode(), url
