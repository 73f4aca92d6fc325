"""The pages of the honest ledger: the date question on the milestone and commitment forms,
the cancel page, the client's answer in the portal, and the rate's definition beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.commitments.models import Commitment
from rapport.commitments.services import (
    commitment_cancel,
    commitment_cancel_answer,
    promise_create,
)
from rapport.conftest import Persona
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Milestone


def _edit(http: HttpClient, milestone: Milestone, days: int, **answer: str) -> Any:
    data = {
        "title": milestone.title,
        "due_date": (milestone.due_date + dt.timedelta(days=days)).isoformat(),
        "progress": milestone.progress,
        "status": milestone.status,
        **{f"date-{k}": v for k, v in answer.items()},
    }
    return http.post(reverse("projects:milestone_edit", args=[milestone.pk]), data)


def _states(milestone: Milestone) -> list[str]:
    return sorted(Commitment.objects.filter(milestone=milestone).values_list("state", flat=True))


def test_milestone_edit_asks_before_a_later_date(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    page = alice_http.get(reverse("projects:milestone_edit", args=[design_milestone.pk]))
    assert "How does the client know of the new date?" in page.content.decode()
    response = _edit(alice_http, design_milestone, 7)
    assert response.status_code == 400
    assert "say how the client knows of it" in response.content.decode()
    design_milestone.refresh_from_db()
    assert _states(design_milestone) == ["open"]
    assert design_milestone.due_date == dt.date.today() + dt.timedelta(days=5)


def test_milestone_edit_not_told_records_moved(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    response = _edit(alice_http, design_milestone, 7, told="not_told")
    assert response.status_code == 302
    assert _states(design_milestone) == ["moved", "open"]


def test_milestone_edit_told_another_way_needs_the_note(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    response = _edit(alice_http, design_milestone, 7, told="other_way", told_via="meeting")
    assert response.status_code == 400
    assert 'id="id_date-told_note"' in response.content.decode()
    assert "Note when and how the client was told" in response.content.decode()
    assert _states(design_milestone) == ["open"]
    response = _edit(
        alice_http,
        design_milestone,
        7,
        told="other_way",
        told_via="meeting",
        told_note="Weekly meeting, Tuesday",
    )
    assert response.status_code == 302
    assert _states(design_milestone) == ["open", "renegotiated"]


def test_milestone_edit_notice_leads_to_the_delay_notice(
    alice_http: HttpClient, design_milestone: Milestone
) -> None:
    old_due = design_milestone.due_date
    response = _edit(alice_http, design_milestone, 7, told="notice")
    wanted = old_due + dt.timedelta(days=7)
    assert response["Location"] == (
        reverse("projects:delay_notice", args=[design_milestone.pk]) + f"?date={wanted}"
    )
    design_milestone.refresh_from_db()
    assert design_milestone.due_date == old_due  # the notice moves it, telling the client
    assert _states(design_milestone) == ["open"]
    # The notice opens with the date typed in the milestone form.
    page = alice_http.get(response["Location"]).content.decode()
    assert f'value="{wanted.isoformat()}"' in page


def test_commitment_new_date_page_asks_too(
    alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Copy",
        due_at=timezone.now() + dt.timedelta(days=2),
    )
    url = reverse("commitments:renegotiate", args=[promise.pk])
    page = alice_http.get(url).content.decode()
    # A promise has no delay notice: the two other answers only.
    assert 'value="notice"' not in page and 'value="not_told"' in page
    new_due = (promise.due_at + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = alice_http.post(url, {"new_due_at": new_due, "reason": "Texts late"})
    assert response.status_code == 400
    response = alice_http.post(
        url, {"new_due_at": new_due, "reason": "Texts late", "told": "not_told"}
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.state == "moved"


def test_cancel_page_names_the_missing_reason(
    alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Copy",
        due_at=timezone.now() + dt.timedelta(days=2),
    )
    url = reverse("commitments:cancel", args=[promise.pk])
    response = alice_http.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say why it is cancelled" in response.content.decode()
    promise.refresh_from_db()
    assert promise.state == "open"
    assert not Notification.objects.filter(kind="promise_cancelled").exists()
    assert alice_http.post(url, {"reason": "Out of scope"}).status_code == 302
    promise.refresh_from_db()
    assert (promise.state, promise.reason) == ("cancelled", "Out of scope")


def test_a_cancelled_promise_is_told_to_the_client_in_their_language(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    """The client hears of a cancellation when it happens, not on a later portal visit (P17)."""
    carol.language = "el"
    carol.save(update_fields=["language"])
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Copy",
        due_at=timezone.now() + dt.timedelta(days=2),
    )
    url = reverse("commitments:cancel", args=[promise.pk])
    assert alice_http.post(url, {"reason": "Out of scope"}).status_code == 302
    notice = Notification.objects.get(kind="promise_cancelled")
    assert (notice.contact, notice.language) == (carol, "el")
    assert "Out of scope" in notice.body
    assert notice.body.startswith("Γεια σας, ")
    # Cancelling twice tells the client once.
    alice_http.post(url, {"reason": "Out of scope"})
    assert Notification.objects.filter(kind="promise_cancelled").count() == 1


def test_the_client_agrees_in_the_portal(alice: Persona, acme: Client, carol: Contact) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Logo animation",
        due_at=timezone.now() + dt.timedelta(days=2),
    )
    commitment_cancel(commitment=promise, actor=alice.user, reason="Out of scope after all")
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    section = http.get(reverse("portal:home_cancellations")).content.decode()
    assert "Logo animation" in section and "Out of scope after all" in section
    answer = reverse("portal:cancellation_answer", args=[promise.pk])
    refused = http.post(answer, {"answer": "maybe"})
    assert refused["Location"].startswith(reverse("portal:home_cancellations"))
    with translation.override(carol.effective_language):  # the portal speaks the contact's
        error = gettext("Choose Agree or Disagree.")
    assert error in http.get(refused["Location"]).content.decode()
    assert http.post(answer, {"answer": "agree"}).status_code == 302
    promise.refresh_from_db()
    assert (promise.state, promise.cancel_answered_by) == ("cancel_agreed", carol)
    # The provider hears the answer.
    alert = Alert.objects.get(kind=Alert.Kind.CANCEL_ANSWERED, subject_id=promise.pk)
    assert alert.describe() == f"{carol.name} agreed to cancel “Logo animation”"
    assert alert.assignee_id == alice.user.pk
    # Answered: no longer asked, and a second answer finds nothing.
    assert "Logo animation" not in http.get(reverse("portal:home_cancellations")).content.decode()
    assert http.post(answer, {"answer": "disagree"}).status_code == 404


def test_a_refusal_asks_the_provider_to_talk(alice: Persona, acme: Client, carol: Contact) -> None:
    promise = promise_create(
        client=acme, actor=alice.user, wording="Copy", due_at=timezone.now() + dt.timedelta(days=2)
    )
    commitment_cancel(commitment=promise, actor=alice.user, reason="No time")
    commitment_cancel_answer(commitment=promise, contact=carol, agree=False)
    alert = Alert.objects.get(kind=Alert.Kind.CANCEL_ANSWERED)
    assert "does not agree" in alert.describe()
    assert alert.severity == Alert.Severity.WARNING


def test_the_rate_says_how_it_is_counted(alice_http: HttpClient, acme: Client) -> None:
    for url in (reverse("commitments:ledger"), reverse("clients:detail", args=[acme.pk])):
        body = alice_http.get(url).content.decode()
        assert "How is this counted?" in body, url
        assert "moved to a later date without telling the client" in body, url


def test_the_api_records_how_the_client_was_told(
    alice: Persona, design_milestone: Milestone
) -> None:
    from rapport.api.tests.conftest import api_client

    api = api_client(alice)
    url = f"/api/v1/milestones/{design_milestone.pk}/"
    later = (design_milestone.due_date + dt.timedelta(days=7)).isoformat()
    refused = api.patch(url, {"due_date": later, "told_via": "email"}, format="json")
    assert refused.status_code == 400
    assert "told_note" in refused.json()["errors"]
    assert _states(design_milestone) == ["open"]
    told = api.patch(
        url,
        {"due_date": later, "told_via": "email", "told_note": "Mail to Carol, 2 Dec"},
        format="json",
    )
    assert told.status_code == 200, told.content
    assert "told_via" not in told.json()
    assert _states(design_milestone) == ["open", "renegotiated"]
    # Without an answer, a later date is a move nobody was told of.
    even_later = (design_milestone.due_date + dt.timedelta(days=9)).isoformat()
    assert api.patch(url, {"due_date": even_later}, format="json").status_code == 200
    assert _states(design_milestone) == ["moved", "open", "renegotiated"]
