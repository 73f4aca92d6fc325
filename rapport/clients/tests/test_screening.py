"""Before signing (P01-P04): the checklist, the decision, conflicts and capacity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.clients.models import Client, Screening
from rapport.clients.screening.selectors import checklist, conflicts_for
from rapport.clients.screening.services import (
    question_add,
    question_remove,
    screening_decide,
    screening_save,
)
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification
from rapport.projects.capacity import capacity_weeks
from rapport.projects.services import project_create


@pytest.fixture
def lead(alice: Persona) -> Client:
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Bravo Shoes",
        status=Client.Status.LEAD,
        language="ro",
        competitor_tags=["retail", "shoes"],
    )
    contact_create(
        client=client, actor=alice.user, name="Bianca", email="bianca@bravo.example", language="ro"
    )
    return client


def test_default_checklist_at_signup_in_the_workspace_language(db: None) -> None:
    from rapport.accounts.services import user_signup
    from rapport.conftest import PASSWORD

    membership = user_signup(
        email="eleni@example.com",
        name="Eleni",
        password=PASSWORD,
        workspace_name="E",
        language="el",
    )
    questions = checklist(membership.workspace)
    assert len(questions) == 6
    english = "Did they say what they want to achieve, not only what they want to see?"
    assert questions[0].text != english


def test_answers_flag_red(alice: Persona, lead: Client) -> None:
    questions = checklist(alice.workspace)
    flagged = next(q for q in questions if q.red_flag == "yes")
    screening = screening_save(
        client=lead,
        actor=alice.user,
        answers={flagged.pk: ("yes", "They blamed all three")},
        past_experience="Two agencies missed their launch",
        stakes="Their spring sales",
        notes="",
    )
    answer = screening.answers.get()
    assert answer.is_red_flag and answer.note == "They blamed all three"


def test_bad_answer_is_refused(alice: Persona, lead: Client) -> None:
    question = checklist(alice.workspace)[0]
    with pytest.raises(ApplicationError) as exc:
        screening_save(
            client=lead,
            actor=alice.user,
            answers={question.pk: ("maybe", "")},
            past_experience="",
            stakes="",
            notes="",
        )
    assert exc.value.field == f"q{question.pk}"


def test_take_makes_the_lead_active(alice: Persona, lead: Client) -> None:
    screening_decide(client=lead, actor=alice.user, decision="take")
    lead.refresh_from_db()
    assert lead.status == Client.Status.ACTIVE
    assert Screening.objects.get(client=lead).decision == "take"


def test_decline_sends_the_polite_message_in_the_contacts_language(
    alice: Persona, lead: Client
) -> None:
    contact = lead.contacts.get()
    screening_decide(
        client=lead,
        actor=alice.user,
        decision="decline",
        contact=contact,
        message="Mulțumim, dar nu suntem potriviți acum.",
    )
    lead.refresh_from_db()
    assert lead.status == Client.Status.DECLINED
    note = Notification.objects.get(kind="lead_decline")
    assert note.language == "ro" and "Mulțumim, dar nu suntem potriviți acum." in note.body
    assert "Bianca" in note.body


def test_decline_needs_a_message_and_a_contact(alice: Persona, lead: Client) -> None:
    with pytest.raises(ApplicationError) as exc:
        screening_decide(
            client=lead,
            actor=alice.user,
            decision="decline",
            contact=lead.contacts.get(),
            message=" ",
        )
    assert exc.value.field == "message"
    with pytest.raises(ApplicationError) as exc:
        screening_decide(
            client=lead, actor=alice.user, decision="decline", contact=None, message="x"
        )
    assert exc.value.field == "contact"
    lead.refresh_from_db()
    assert lead.status == Client.Status.LEAD


def test_conflict_names_the_current_client(alice: Persona, acme: Client, lead: Client) -> None:
    # acme is an active retail client; the lead competes in retail.
    conflicts = conflicts_for(lead)
    assert [(c.client, c.tags) for c in conflicts] == [(acme, ["retail"])]


def test_no_conflict_with_other_workspaces(alice: Persona, lead: Client, mallory: Persona) -> None:
    client_create(
        workspace=mallory.workspace,
        actor=mallory.user,
        name="Evil Retail",
        status=Client.Status.ACTIVE,
        industry_tags=["retail"],
    )
    assert all(c.client.workspace_id == alice.workspace.pk for c in conflicts_for(lead))


def test_capacity_with_and_without_new_work(alice: Persona, acme: Client) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob, weekly_capacity_hours=10)
    monday = dt.date(2026, 11, 23)
    project_create(
        client=acme,
        actor=alice.user,
        title="Booked",
        status="active",
        start_date=monday,
        due_date=monday + dt.timedelta(days=13),
        estimated_hours=Decimal("60"),
    )
    weeks = capacity_weeks(
        workspace=alice.workspace,
        today=monday,
        weeks=3,
        new_hours=Decimal("20"),
        new_start=monday,
        new_due=monday + dt.timedelta(days=6),
    )
    assert [w.capacity for w in weeks] == [Decimal(40)] * 3
    assert [w.booked for w in weeks] == [Decimal("30.0"), Decimal("30.0"), Decimal("0.0")]
    assert [w.with_new for w in weeks] == [Decimal("50.0"), Decimal("30.0"), Decimal("0.0")]
    assert [w.over_with_new for w in weeks] == [True, False, False]


def test_owner_edits_the_checklist(alice: Persona) -> None:
    question = question_add(membership=alice.membership, text="Do they pay on time?", red_flag="no")
    assert question in checklist(alice.workspace)
    question_remove(membership=alice.membership, question_id=question.pk)
    assert question not in checklist(alice.workspace)


def test_member_cannot_edit_the_checklist(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    membership = Membership.objects.create(workspace=alice.workspace, user=bob)
    with pytest.raises(ApplicationError):
        question_add(membership=membership, text="x", red_flag="")


def test_screening_page_round_trip(
    alice_http: HttpClient, alice: Persona, acme: Client, lead: Client
) -> None:
    url = reverse("clients:screening", args=[lead.pk])
    page = alice_http.get(url + "?hours=200&start=2026-11-23&due=2026-11-29")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Acme Ltd" in body  # the conflict is named
    question = checklist(alice.workspace)[1]
    assert alice_http.post(url, {f"q{question.pk}": "yes", "stakes": "Launch"}).status_code == 302
    decided = alice_http.post(
        reverse("clients:screening_decide", args=[lead.pk]),
        {"decision": "decline", "contact": lead.contacts.get().pk, "message": "Nu acum, mulțumim."},
    )
    assert decided.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Client.Status.DECLINED
