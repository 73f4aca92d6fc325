"""Problems and mistakes (P20, P21, P22): reported with alternatives and sent in the contact's
language; the client's choice is a fix commitment; resolving keeps it and reports back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from rapport.care.models import Problem, ProblemAlternative
from rapport.care.problems.services import (
    AlternativeInput,
    problem_choose,
    problem_resolve,
    problem_talk,
)
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.clients.services import contact_create
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.timeline import describe_event
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Milestone, Project


def test_report_sends_in_the_contacts_language_with_a_portal_link(
    website: Project, design_milestone: Milestone, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol], milestone=design_milestone)
    assert problem.state == Problem.State.SENT
    assert [a.position for a in problem.alternatives.all()] == [0, 1]
    note = Notification.objects.get(kind="problem_report", contact=carol)
    assert note.language == "el"
    # Greek words, the apology and the prevention, and a link to the problem in the portal.
    assert "κάναμε ένα λάθος στο «New website»" in note.body
    assert "Δικό μας λάθος" in note.subject
    assert "We are sorry: we used an old file." in note.body
    assert "A brand check before every delivery." in note.body
    assert f"next=/p/problems/{problem.pk}/" in note.body
    assert "Layouts in the old brand colours" in note.subject
    assert TimelineEvent.objects.filter(verb="problem.reported", subject_id=problem.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"what_happened": ""}, "what_happened"),
        ({"cause": "nobody"}, "cause"),
        ({"plan": ""}, "plan"),
        ({"apology": ""}, "apology"),
        ({"prevention": " "}, "prevention"),
        ({"impact_amount": "-5"}, "impact_amount"),
        ({"impact_amount": "abc"}, "impact_amount"),
        ({"alternatives": []}, "alt1_description"),
        (
            {"alternatives": [AlternativeInput(1, "", "0", date.today())]},
            "alt1_description",
        ),
        (
            {"alternatives": [AlternativeInput(2, "Later", "0", date.today() - timedelta(1))]},
            "alt2_due_date",
        ),
        ({"alternatives": [AlternativeInput(3, "Free", "x", date.today())]}, "alt3_cost"),
        ({"alternatives": [AlternativeInput(1, "No date", "0", None)]}, "alt1_due_date"),
        (
            {
                "alternatives": [
                    AlternativeInput(n, f"Way {n}", "0", date.today()) for n in range(6)
                ]
            },
            "alt1_description",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    website: Project, alice: Persona, carol: Contact, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        report(project=website, alice=alice, contacts=[carol], **changes)
    assert caught.value.field == field
    assert not Problem.objects.exists()
    assert not ProblemAlternative.objects.exists()
    assert not Notification.objects.filter(kind="problem_report").exists()


def test_not_our_mistake_needs_no_apology_and_sends_none(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(
        project=website,
        alice=alice,
        contacts=[carol],
        cause=Problem.Cause.EXTERNAL,
        apology="typed by accident",
        prevention="",
    )
    assert problem.apology == ""
    body = Notification.objects.get(kind="problem_report").body
    assert "typed by accident" not in body


def test_contacts_must_be_this_clients(
    website: Project, alice: Persona, carol: Contact, mallory_data: dict[str, object]
) -> None:
    eve = mallory_data["contact"]
    assert isinstance(eve, Contact)
    with pytest.raises(ApplicationError) as caught:
        report(project=website, alice=alice, contacts=[eve])
    assert caught.value.field == "contacts"
    with pytest.raises(ApplicationError) as caught:
        report(project=website, alice=alice, contacts=[])
    assert caught.value.field == "contacts"


def test_milestone_of_another_project_is_refused(
    website: Project, alice: Persona, carol: Contact, mallory_data: dict[str, object]
) -> None:
    other = mallory_data["milestone"]
    assert isinstance(other, Milestone)
    with pytest.raises(ApplicationError) as caught:
        report(project=website, alice=alice, contacts=[carol], milestone=other)
    assert caught.value.field == "milestone"


def test_choice_opens_a_fix_commitment_alerts_and_stands(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    second = problem.alternatives.all()[1]
    fix = problem_choose(problem=problem, alternative_id=second.pk, contact=carol)
    assert fix.kind == Commitment.Kind.FIX
    assert fix.state == Commitment.State.OPEN
    assert fix.project_id == website.pk
    assert fix.due_at.date() >= second.due_date - timedelta(days=1)
    problem.refresh_from_db()
    assert problem.state == Problem.State.CHOSEN
    assert problem.chosen_id == second.pk and problem.chosen_by_id == carol.pk
    alert = Alert.objects.get(kind=Alert.Kind.PROBLEM_ANSWERED)
    assert "Keep the layouts" in alert.describe()
    assert alert.action_url == f"/care/problems/{problem.pk}/"
    event = TimelineEvent.objects.get(verb="problem.chosen")
    assert "Carol" in describe_event(event.verb, event.data)
    with pytest.raises(ApplicationError):
        problem_choose(problem=problem, alternative_id=second.pk, contact=carol)
    assert Commitment.objects.filter(kind=Commitment.Kind.FIX).count() == 1


def test_choice_of_an_alternative_of_another_problem_is_refused(
    website: Project, alice: Persona, carol: Contact
) -> None:
    first = report(project=website, alice=alice, contacts=[carol])
    other = report(project=website, alice=alice, contacts=[carol], title="Second")
    foreign = other.alternatives.all()[0]
    with pytest.raises(ApplicationError) as caught:
        problem_choose(problem=first, alternative_id=foreign.pk, contact=carol)
    assert caught.value.field == "alternative"
    assert not Commitment.objects.filter(kind=Commitment.Kind.FIX).exists()


def test_another_clients_contact_cannot_choose(
    website: Project, alice: Persona, carol: Contact, mallory_data: dict[str, object]
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    eve = mallory_data["contact"]
    assert isinstance(eve, Contact)
    with pytest.raises(ApplicationError) as caught:
        problem_choose(
            problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=eve
        )
    assert caught.value.code == "not_found"


def test_asking_to_talk_opens_a_request_and_the_choice_stays_open(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    request = problem_talk(problem=problem, contact=carol, message="Call me on Monday")
    assert request.source == Request.Source.PORTAL and request.project_id == website.pk
    assert request.body == "Call me on Monday"
    problem.refresh_from_db()
    assert problem.state == Problem.State.TALK and problem.talk_request_id == request.pk
    alert = Alert.objects.get(kind=Alert.Kind.PROBLEM_ANSWERED)
    assert "talk" in alert.describe()
    with pytest.raises(ApplicationError):
        problem_talk(problem=problem, contact=carol)
    # After the call, the provider records what was agreed.
    problem_choose(
        problem=problem, alternative_id=problem.alternatives.all()[0].pk, actor=alice.user
    )
    problem.refresh_from_db()
    assert problem.state == Problem.State.CHOSEN and problem.chosen_by_id is None
    # Recording the choice answers the "wants to talk" alert.
    assert Alert.objects.get(kind=Alert.Kind.PROBLEM_ANSWERED).state == Alert.State.DONE


def test_resolve_keeps_the_fix_and_reports_in_each_language(
    website: Project, alice: Persona, carol: Contact
) -> None:
    budi = contact_create(
        client=carol.client, actor=alice.user, name="Budi", email="budi@acme.example", language="id"
    )
    problem = report(project=website, alice=alice, contacts=[carol, budi])
    with pytest.raises(ApplicationError) as caught:
        problem_resolve(problem=problem, actor=alice.user, resolution="Done", contacts=[carol])
    assert caught.value.field == "resolution"
    fix = problem_choose(
        problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol
    )
    with pytest.raises(ApplicationError) as caught:
        problem_resolve(problem=problem, actor=alice.user, resolution=" ", contacts=[carol])
    assert caught.value.field == "resolution"
    problem_resolve(
        problem=problem,
        actor=alice.user,
        resolution="New layouts delivered.",
        contacts=[carol, budi],
    )
    fix.refresh_from_db()
    assert fix.state == Commitment.State.KEPT
    assert not Alert.objects.filter(state=Alert.State.OPEN, kind=Alert.Kind.PROBLEM_ANSWERED)
    problem.refresh_from_db()
    assert problem.state == Problem.State.RESOLVED and problem.resolved_at is not None
    reports = {n.language: n for n in Notification.objects.filter(kind="problem_resolved")}
    assert set(reports) == {"el", "id"}
    assert "Terima kasih atas kesabaran Anda" in reports["id"].body
    assert reports["id"].subject.startswith("Terselesaikan: ")
    assert "New layouts delivered." in reports["id"].body
    with pytest.raises(ApplicationError):
        problem_resolve(problem=problem, actor=alice.user, resolution="Again", contacts=[carol])
    assert Notification.objects.filter(kind="problem_resolved").count() == 2
