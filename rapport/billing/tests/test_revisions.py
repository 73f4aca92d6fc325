"""Revision rounds (P08): free rounds, billable rounds accepted by the client first, hours
recorded as time entries, messages in the client's language, tenancy, query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from rapport.billing.models import TimeEntry
from rapport.billing.revisions import services as revisions
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert, Notification
from rapport.notifications.tests import conftest as delivery_fixtures
from rapport.notifications.tests.conftest import SmtpServer
from rapport.projects.models import Deliverable, RevisionRound
from rapport.projects.revision_policy import deliverables_apply_revision_policy
from rapport.projects.services import deliverable_create, deliverable_update

# The real SMTP server of the delivery tests (aiosmtpd on 127.0.0.1).
smtp_server = delivery_fixtures.smtp_server
smtp_settings = delivery_fixtures.smtp_settings


@pytest.fixture
def delivered(layouts: Deliverable, alice: Persona) -> Deliverable:
    """Page layouts, delivered, with 2 free rounds then 40 EUR an hour."""
    deliverables_apply_revision_policy(project=layouts.milestone.project, free_rounds=2, rate="40")
    layouts.refresh_from_db()
    return deliverable_update(deliverable=layouts, actor=alice.user, status="delivered")


def _portal(contact: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def _log(deliverable: Deliverable, alice: Persona, estimate: str | None = None) -> RevisionRound:
    return revisions.revision_round_log(
        deliverable=deliverable,
        actor=alice.user,
        description="Bigger logo",
        estimate_hours=estimate,
    )


# --- Counting ----------------------------------------------------------------------------------


def test_rounds_within_the_free_count_open_at_once(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    first, second = _log(delivered, alice), _log(delivered, alice)
    assert (first.number, second.number) == (1, 2)
    assert not first.billable and not second.billable
    assert first.status == second.status == RevisionRound.Status.OPEN
    assert not Notification.objects.filter(kind="revision_billable").exists()
    third = _log(delivered, alice, estimate="3")
    assert third.number == 3
    assert third.billable
    assert third.status == RevisionRound.Status.AWAITING_CLIENT
    assert TimelineEvent.objects.filter(verb="revision.logged").count() == 3


def test_a_billable_round_needs_an_estimate(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    with pytest.raises(ApplicationError) as exc:
        _log(delivered, alice)
    assert exc.value.field == "estimate_hours"
    assert RevisionRound.objects.count() == 2  # nothing half-written


def test_billable_round_message_in_the_contacts_language(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="3")
    note = Notification.objects.get(kind="revision_billable")
    assert note.contact == carol
    assert note.language == "el"
    # The amounts are written the Greek way: 40,00 €.
    assert "40,00" in note.body
    assert "3" in note.body
    assert round_.description in note.body


def test_billable_round_message_reaches_the_smtp_server(
    delivered: Deliverable, alice: Persona, carol: Contact, smtp_settings: SmtpServer
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    _log(delivered, alice, estimate="2.5")
    Notification.objects.update(not_before="2000-01-01T00:00:00Z")
    deliver_due(worker="test")
    assert smtp_settings.wait_for(1)
    [received] = smtp_settings.received
    assert received.rcpt_tos == [carol.email]
    text = received.text
    assert "40,00" in text and "2,50" in text


def test_work_on_a_billable_round_waits_for_acceptance(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="3")
    with pytest.raises(ApplicationError) as exc:
        revisions.revision_round_done(round_=round_, actor=alice.user, hours="3")
    assert "not accepted" in exc.value.message
    assert not TimeEntry.objects.exists()


def test_client_accepts_in_the_portal_then_done_bills_the_hours(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="3")
    http = _portal(carol)
    page = http.get(reverse("portal:project", args=[delivered.milestone.project_id]))
    body = page.content.decode()
    assert reverse("portal:revision_accept", args=[round_.pk]) in body
    assert "40,00" in body  # the rate, in Greek
    response = http.post(reverse("portal:revision_accept", args=[round_.pk]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RevisionRound.Status.OPEN
    assert round_.client_accepted_by == carol and round_.client_accepted_at
    alert = Alert.objects.get(kind=Alert.Kind.REVISION_DECIDED)
    assert "Carol Georgiou" in alert.describe()
    # Deciding twice is refused.
    with pytest.raises(ApplicationError):
        revisions.revision_round_decline(round_=round_, contact=carol)
    revisions.revision_round_done(round_=round_, actor=alice.user, hours="3.5")
    entry = TimeEntry.objects.get()
    assert entry.revision == round_
    assert entry.billing == TimeEntry.Billing.BILLABLE
    assert entry.rate == Decimal("40.00")
    assert entry.hours == Decimal("3.5")
    assert entry.project == delivered.milestone.project
    with translation.override("el"):
        expected = gettext("Revision round %(number)s of %(title)s") % {
            "number": 3,
            "title": delivered.title,
        }
    assert entry.description == expected


def test_client_declines(delivered: Deliverable, alice: Persona, carol: Contact) -> None:
    _log(delivered, alice), _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="3")
    http = _portal(carol)
    http.post(reverse("portal:revision_decline", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RevisionRound.Status.DECLINED
    assert Alert.objects.filter(kind=Alert.Kind.REVISION_DECIDED).exists()
    with pytest.raises(ApplicationError):
        revisions.revision_round_done(round_=round_, actor=alice.user, hours="1")
    # A declined round does not use up the count: the next one is round 4, billable.
    nxt = _log(delivered, alice, estimate="1")
    assert (nxt.number, nxt.billable) == (4, True)


def test_free_round_done_creates_no_billable_entry(delivered: Deliverable, alice: Persona) -> None:
    first = _log(delivered, alice)
    revisions.revision_round_done(round_=first, actor=alice.user)
    assert not TimeEntry.objects.exists()
    second = _log(delivered, alice)
    revisions.revision_round_done(round_=second, actor=alice.user, hours="2")
    entry = TimeEntry.objects.get()
    assert entry.billing == TimeEntry.Billing.NON_BILLABLE
    assert entry.rate is None
    with pytest.raises(ApplicationError):
        revisions.revision_round_done(round_=second, actor=alice.user, hours="2")


def test_billable_round_needs_its_hours(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="3")
    revisions.revision_round_accept(round_=round_, contact=carol)
    for bad in ("", "0", "-2", "abc", "1.234", "5000"):
        with pytest.raises(ApplicationError) as exc:
            revisions.revision_round_done(round_=round_, actor=alice.user, hours=bad)
        assert exc.value.field == "hours"
    round_.refresh_from_db()
    assert round_.status == RevisionRound.Status.OPEN
    assert not TimeEntry.objects.exists()


# --- Asked for by the client -----------------------------------------------------------------


def test_client_asks_for_changes_on_a_delivered_deliverable(
    delivered: Deliverable, alice: Persona, carol: Contact
) -> None:
    http = _portal(carol)
    url = reverse("portal:revision_request", args=[delivered.pk])
    http.post(url, {"description": "Darker blue, please"})
    round_ = RevisionRound.objects.get()
    assert round_.requested_by_contact == carol
    assert round_.status == RevisionRound.Status.OPEN  # round 1 of 2 free
    request = Request.objects.get()
    assert request.contact == carol and "Darker blue" in request.body
    # A third one is billable and waits for our estimate: the client cannot accept yet.
    http.post(url, {"description": "Second"})
    http.post(url, {"description": "Third"})
    third = RevisionRound.objects.get(number=3)
    assert third.status == RevisionRound.Status.AWAITING_CLIENT and third.estimate_hours is None
    with pytest.raises(ApplicationError):
        revisions.revision_round_accept(round_=third, contact=carol)
    assert not Notification.objects.filter(kind="revision_billable").exists()
    revisions.revision_round_estimate(round_=third, actor=alice.user, estimate_hours="2")
    assert Notification.objects.filter(kind="revision_billable", contact=carol).count() == 1
    revisions.revision_round_accept(round_=third, contact=carol)


def test_changes_only_on_a_delivered_deliverable(layouts: Deliverable, carol: Contact) -> None:
    http = _portal(carol)
    http.post(reverse("portal:revision_request", args=[layouts.pk]), {"description": "x"})
    assert not RevisionRound.objects.exists()
    with pytest.raises(ApplicationError):
        revisions.revision_round_request(deliverable=layouts, contact=carol, description="x")


def test_empty_request_is_refused(delivered: Deliverable, carol: Contact) -> None:
    http = _portal(carol)
    response = http.post(reverse("portal:revision_request", args=[delivered.pk]), {})
    assert "revision_error=description" in response["Location"]
    assert not RevisionRound.objects.exists()


# --- Tenancy -----------------------------------------------------------------------------------


def test_other_clients_contacts_and_outsiders_get_404(
    delivered: Deliverable, alice: Persona, carol: Contact, mallory_data: dict[str, Any]
) -> None:
    _log(delivered, alice), _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="2")
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    dan = contact_create(client=other, actor=alice.user, name="Dan", email="dan@o.example")
    for contact in (dan, mallory_data["contact"]):
        http = _portal(contact)
        assert http.post(reverse("portal:revision_accept", args=[round_.pk])).status_code == 404
        assert http.post(reverse("portal:revision_decline", args=[round_.pk])).status_code == 404
        response = http.post(
            reverse("portal:revision_request", args=[delivered.pk]), {"description": "x"}
        )
        assert response.status_code == 404
    with pytest.raises(ApplicationError):
        revisions.revision_round_accept(round_=round_, contact=dan)
    round_.refresh_from_db()
    assert round_.status == RevisionRound.Status.AWAITING_CLIENT
    assert RevisionRound.objects.count() == 3


def test_outsider_staff_gets_404(
    delivered: Deliverable, alice: Persona, mallory_http: HttpClient
) -> None:
    round_ = _log(delivered, alice)
    assert mallory_http.get(reverse("billing:revisions", args=[delivered.pk])).status_code == 404
    for name in ("billing:revision_done", "billing:revision_estimate"):
        assert mallory_http.post(reverse(name, args=[round_.pk]), {"hours": "1"}).status_code == 404
    round_.refresh_from_db()
    assert round_.status == RevisionRound.Status.OPEN


# --- Pages -------------------------------------------------------------------------------------


def test_staff_pages_show_the_count(
    delivered: Deliverable, alice: Persona, alice_http: HttpClient
) -> None:
    _log(delivered, alice)
    project_page = alice_http.get(reverse("projects:detail", args=[delivered.milestone.project_id]))
    assert "round 1 of 2 free" in project_page.content.decode()
    response = alice_http.post(
        reverse("billing:revisions", args=[delivered.pk]), {"description": "Another"}
    )
    assert response.status_code == 302
    response = alice_http.post(
        reverse("billing:revisions", args=[delivered.pk]), {"description": "Third"}
    )
    assert response.status_code == 400
    assert "Estimate the hours" in response.content.decode()
    round_ = RevisionRound.objects.get(number=2)
    alice_http.post(reverse("billing:revision_done", args=[round_.pk]), {"hours": "1"})
    round_.refresh_from_db()
    assert round_.status == RevisionRound.Status.DONE


def _count(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_revision_pages_run_a_fixed_number_of_queries(
    delivered: Deliverable, alice: Persona, alice_http: HttpClient, carol: Contact
) -> None:
    project = delivered.milestone.project
    portal = _portal(carol)
    pages = [
        (alice_http, reverse("billing:revisions", args=[delivered.pk])),
        (alice_http, reverse("projects:detail", args=[project.pk])),
        (portal, reverse("portal:project", args=[project.pk])),
    ]
    _log(delivered, alice)
    small = [_count(http, url) for http, url in pages]
    for i in range(5):
        d = deliverable_create(
            milestone=delivered.milestone, actor=alice.user, title=f"D{i}", spec="s", format="f"
        )
        deliverable_update(deliverable=d, actor=alice.user, status="delivered")
        revisions.revision_round_log(deliverable=d, actor=alice.user, description="x")
    _log(delivered, alice)
    round_ = _log(delivered, alice, estimate="1")
    revisions.revision_round_accept(round_=round_, contact=carol)
    _log(delivered, alice, estimate="2")
    large = [_count(http, url) for http, url in pages]
    assert large == small
    assert large[0] <= 10
