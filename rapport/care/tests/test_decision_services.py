"""The decisions log (P36): recommendations recorded open or already decided, the client's
decision with an alert, refusals that name the field and write nothing, and the entries a
problem's choice makes by itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from rapport.care.decisions.services import OptionInput, decision_decide
from rapport.care.model_decisions import Decision, DecisionOption
from rapport.care.problems.services import problem_choose
from rapport.care.tests.decision_fixtures import recommend, two_options
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.timeline import describe_event
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Milestone, Project


def test_an_open_recommendation_is_told_in_the_contacts_language(
    website: Project, alice: Persona, carol: Contact
) -> None:
    decision = recommend(project=website, alice=alice, contacts=[carol])
    assert decision.state == Decision.State.OPEN and decision.kind == Decision.Kind.RECOMMENDATION
    assert decision.currency == website.currency
    options = list(decision.options.all())
    assert [o.label for o in options] == [
        "A static site with a headless CMS",
        "The page builder you saw at a friend's",
    ]
    assert [o.recommended for o in options] == [True, False]
    assert options[1].due_date is None and options[1].cost is not None
    note = Notification.objects.get(kind="decision_open", contact=carol)
    assert note.language == "el"
    assert "How the site is built" in note.subject
    assert "A static site: your visitors are on slow phones." in note.body
    assert f"next=/p/decisions/{decision.pk}/" in note.body
    assert TimelineEvent.objects.filter(verb="decision.recorded", subject_id=decision.pk).exists()


def test_a_decision_taken_on_a_call_is_recorded_decided_and_tells_nobody(
    website: Project, alice: Persona, carol: Contact
) -> None:
    yesterday = timezone.now() - timedelta(days=1)
    decision = recommend(
        project=website,
        alice=alice,
        contacts=[carol],
        chosen=2,
        decided_by=carol,
        decided_via=Decision.Via.CALL,
        decided_at=yesterday,
        reason="The budget is tight this year.",
    )
    assert decision.state == Decision.State.DECIDED
    assert decision.chosen is not None and decision.chosen.position == 1
    assert decision.decided_by == carol and decision.decided_at == yesterday
    assert decision.reason == "The budget is tight this year."
    assert not Notification.objects.filter(kind="decision_open").exists()
    event = TimelineEvent.objects.get(verb="decision.decided")
    assert "Carol" in describe_event(event.verb, event.data)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"recommendation": ""}, "recommendation"),
        ({"options": []}, "opt1_label"),
        ({"options": two_options()[:1]}, "opt2_label"),
        ({"options": [OptionInput(1, "", "notes"), two_options()[1]]}, "opt1_label"),
        ({"options": [two_options()[0], OptionInput(2, "Cheap", cost="lots")]}, "opt2_cost"),
        ({"options": [OptionInput(n, f"Way {n}") for n in range(1, 7)]}, "opt1_label"),
        ({"recommended": 3}, "recommended"),
        ({"chosen": 5}, "chosen"),
        ({"chosen": 1, "decided_via": "call", "reason": "x"}, "decided_by"),
        (
            {"chosen": 1, "decided_by": "carol", "decided_via": "portal", "reason": "x"},
            "decided_via",
        ),
        ({"chosen": 1, "decided_by": "carol", "decided_via": "call", "reason": ""}, "reason"),
        (
            {
                "chosen": 1,
                "decided_by": "carol",
                "decided_via": "call",
                "reason": "x",
                "decided_at": "tomorrow",
            },
            "decided_at",
        ),
        ({"contacts": ["eve"]}, "contacts"),
        ({"milestone": "other"}, "milestone"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    website: Project,
    alice: Persona,
    carol: Contact,
    mallory_data: dict[str, Any],
    changes: dict[str, Any],
    field: str,
) -> None:
    # Objects stand in for their names in the table above (fixtures are not known there).
    stand_ins: dict[str, Any] = {
        "carol": carol,
        "eve": mallory_data["contact"],
        "other": mallory_data["milestone"],
        "tomorrow": timezone.now() + timedelta(days=1),
    }
    fixed: dict[str, Any] = {
        key: [stand_ins.get(v, v) for v in value]
        if isinstance(value, list) and key == "contacts"
        else stand_ins.get(value, value)
        if isinstance(value, str)
        else value
        for key, value in changes.items()
    }
    with pytest.raises(ApplicationError) as caught:
        recommend(project=website, alice=alice, **fixed)
    assert caught.value.field == field
    assert not Decision.objects.exists()
    assert not DecisionOption.objects.exists()
    assert not Notification.objects.filter(kind="decision_open").exists()


def test_the_client_decides_in_the_portal_once_and_the_owner_is_alerted(
    website: Project, alice: Persona, carol: Contact
) -> None:
    decision = recommend(project=website, alice=alice)
    second = decision.options.all()[1]
    decision_decide(decision=decision, option_id=second.pk, contact=carol, reason="")
    decision.refresh_from_db()
    assert decision.state == Decision.State.DECIDED and decision.chosen_id == second.pk
    assert decision.decided_via == Decision.Via.PORTAL and decision.decided_by == carol
    alert = Alert.objects.get(kind=Alert.Kind.DECISION_MADE)
    assert alert.assignee_id == website.client.account_owner_id
    assert "page builder" in alert.describe() and "Carol" in alert.describe()
    assert alert.action_url == f"/care/decisions/{decision.pk}/"
    with translation.override("el"):
        assert "page builder" in alert.describe()
    first = decision.options.all()[0]
    with pytest.raises(ApplicationError) as caught:
        decision_decide(decision=decision, option_id=first.pk, contact=carol)
    assert caught.value.field == "option"
    decision.refresh_from_db()
    assert decision.chosen_id == second.pk


def test_an_option_of_another_decision_or_another_clients_contact_is_refused(
    website: Project, alice: Persona, carol: Contact, mallory_data: dict[str, Any]
) -> None:
    decision = recommend(project=website, alice=alice)
    other = recommend(project=website, alice=alice, title="Hosting")
    with pytest.raises(ApplicationError) as caught:
        decision_decide(decision=decision, option_id=other.options.all()[0].pk, contact=carol)
    assert caught.value.field == "option"
    with pytest.raises(ApplicationError) as caught:
        decision_decide(
            decision=decision,
            option_id=decision.options.all()[0].pk,
            contact=mallory_data["contact"],
        )
    assert caught.value.code == "not_found"
    decision.refresh_from_db()
    assert decision.is_open
    assert not Alert.objects.filter(kind=Alert.Kind.DECISION_MADE).exists()


def test_the_provider_records_the_decision_told_on_a_call(
    website: Project, alice: Persona, carol: Contact
) -> None:
    decision = recommend(project=website, alice=alice)
    option = decision.options.all()[0]
    with pytest.raises(ApplicationError) as caught:
        decision_decide(
            decision=decision, option_id=option.pk, contact=carol, actor=alice.user, via="call"
        )
    assert caught.value.field == "reason"
    decision_decide(
        decision=decision,
        option_id=option.pk,
        contact=carol,
        actor=alice.user,
        via=Decision.Via.MEETING,
        reason="Speed matters most to them.",
    )
    decision.refresh_from_db()
    assert decision.decided_via == Decision.Via.MEETING and decision.reason
    assert not Alert.objects.filter(kind=Alert.Kind.DECISION_MADE).exists()


def test_a_problem_choice_records_its_decision(
    website: Project, design_milestone: Milestone, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol], milestone=design_milestone)
    second = problem.alternatives.all()[1]
    problem_choose(problem=problem, alternative_id=second.pk, contact=carol)
    decision = Decision.objects.get(problem=problem)
    assert decision.kind == Decision.Kind.PROBLEM and decision.state == Decision.State.DECIDED
    assert decision.project == website and decision.milestone == design_milestone
    assert decision.recommendation == problem.plan
    assert [o.label for o in decision.options.all()] == [
        a.description for a in problem.alternatives.all()
    ]
    assert decision.chosen is not None and decision.chosen.label == second.description
    assert decision.chosen.cost == second.cost and decision.chosen.due_date == second.due_date
    assert decision.decided_by == carol and decision.decided_via == Decision.Via.PORTAL


def test_a_problem_choice_recorded_after_a_call_records_who_wrote_it(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    problem_choose(
        problem=problem, alternative_id=problem.alternatives.all()[0].pk, actor=alice.user
    )
    decision = Decision.objects.get(problem=problem)
    assert decision.recorded_by == alice.user and decision.decided_by is None
    assert decision.decided_via == ""


def test_a_refused_problem_choice_records_no_decision(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    with pytest.raises(ApplicationError):
        problem_choose(problem=problem, alternative_id=0, contact=carol)
    assert not Decision.objects.exists()
