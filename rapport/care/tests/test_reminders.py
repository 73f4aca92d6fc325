"""Unanswered problem reports (P20): three working days on, one reminder to the contacts the
report went to, in their language, and one alert to the provider; never twice, never for an
answered report, and the scan reads only the due rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.care.models import Problem
from rapport.care.problems.reminders import scan_unanswered_problems
from rapport.care.problems.services import problem_choose, problem_talk
from rapport.care.problems.timing import problem_remind_at
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.core.periodic import JOBS
from rapport.core.timeline import describe_event
from rapport.notifications.alerts import alert_action_url
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Project

# A Monday morning in Athens (alice's workspace works Monday to Friday).
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _report(website: Project, alice: Persona, carol: Contact) -> Problem:
    with time_machine.travel(MONDAY, tick=False):
        return report(project=website, alice=alice, contacts=[carol])


def _due(problem: Problem) -> datetime:
    """A minute after the report's reminder moment."""
    assert problem.remind_at is not None
    return problem.remind_at + timedelta(minutes=1)


def test_the_reminder_is_due_three_working_days_later(alice: Persona) -> None:
    workspace = alice.workspace
    assert problem_remind_at(workspace, MONDAY) == MONDAY + timedelta(days=3)
    friday = MONDAY + timedelta(days=4)
    # Friday → the weekend is skipped: Wednesday, same hour.
    assert problem_remind_at(workspace, friday) == friday + timedelta(days=5)


def test_the_scan_is_registered_with_the_tick() -> None:
    assert scan_unanswered_problems in JOBS


def test_one_reminder_and_one_alert_when_due(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = _report(website, alice, carol)
    assert problem.remind_at == MONDAY + timedelta(days=3)
    assert scan_unanswered_problems(problem.remind_at - timedelta(minutes=1)) == 0
    assert not Notification.objects.filter(kind="problem_reminder").exists()
    due = problem.remind_at + timedelta(minutes=1)
    assert scan_unanswered_problems(due) == 1
    note = Notification.objects.get(kind="problem_reminder", contact=carol)
    assert note.language == "el"
    assert "Layouts in the old brand colours" in note.subject
    assert f"next=/p/problems/{problem.pk}/" in note.body
    alert = Alert.objects.get(kind=Alert.Kind.PROBLEM_UNANSWERED)
    assert alert.subject_id == problem.pk and alert.assignee_id == alice.user.pk
    assert alert_action_url(alert) == f"/care/problems/{problem.pk}/"
    event = TimelineEvent.objects.get(verb="problem.reminded")
    assert "Layouts in the old brand colours" in describe_event(event.verb, event.data)
    problem.refresh_from_db()
    assert problem.remind_at is None and problem.reminded_at == due
    # Once: a later tick sends nothing more.
    assert scan_unanswered_problems(due + timedelta(days=10)) == 0
    assert Notification.objects.filter(kind="problem_reminder").count() == 1


@pytest.mark.parametrize("answer", ["choose", "talk"])
def test_an_answered_report_is_not_reminded(
    website: Project, alice: Persona, carol: Contact, answer: str
) -> None:
    problem = _report(website, alice, carol)
    due = _due(problem)
    if answer == "choose":
        problem_choose(
            problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol
        )
    else:
        problem_talk(problem=problem, contact=carol, message="Call me")
    assert scan_unanswered_problems(due) == 0
    assert not Notification.objects.filter(kind="problem_reminder").exists()


def test_answering_after_the_reminder_closes_its_alert(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = _report(website, alice, carol)
    scan_unanswered_problems(_due(problem))
    problem_choose(problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol)
    alert = Alert.objects.get(kind=Alert.Kind.PROBLEM_UNANSWERED)
    assert alert.state == Alert.State.DONE


def _scan_queries(when: datetime) -> int:
    with CaptureQueriesContext(connection) as ctx:
        scan_unanswered_problems(when)
    return len(ctx.captured_queries)


def test_the_scan_reads_only_due_rows(website: Project, alice: Persona, carol: Contact) -> None:
    """The queries of a scan do not grow with the reports not yet due, nor with the answered
    ones: only with the due ones (a fixed number for each)."""
    due_problem = _report(website, alice, carol)
    when = _due(due_problem)
    later = when + timedelta(days=1)

    def not_due(n: int) -> None:
        with time_machine.travel(later, tick=False):
            for i in range(n):
                report(project=website, alice=alice, contacts=[carol], title=f"Later {i}")

    not_due(2)
    small = _scan_queries(when)
    Problem.objects.filter(pk=due_problem.pk).update(
        remind_at=due_problem.remind_at, reminded_at=None
    )
    Notification.objects.filter(kind="problem_reminder").delete()
    Alert.objects.filter(kind=Alert.Kind.PROBLEM_UNANSWERED).delete()
    not_due(8)
    assert _scan_queries(when) == small
    # Nothing due: the one read (in its transaction), whatever is stored.
    idle = _scan_queries(when)
    not_due(4)
    assert _scan_queries(when) == idle <= 3


def test_the_scan_writes_in_bulk_whatever_the_number_due(
    website: Project, alice: Persona, carol: Contact
) -> None:
    """One due report or four: the same queries (the links, the messages, their events and
    the alerts are one insert each), and every contact gets each reminder once."""
    first = _report(website, alice, carol)
    when = _due(first)
    one = _scan_queries(when)
    assert Notification.objects.filter(kind="problem_reminder").count() == 1
    with time_machine.travel(MONDAY, tick=False):
        for i in range(4):
            report(project=website, alice=alice, contacts=[carol], title=f"Also {i}")
    assert _scan_queries(when) == one
    reminders = Notification.objects.filter(kind="problem_reminder", contact=carol)
    assert reminders.count() == 5
    assert len(set(reminders.values_list("dedupe_key", flat=True))) == 5


def test_a_client_archived_since_the_report_gets_no_reminder(
    website: Project, alice: Persona, carol: Contact
) -> None:
    """No portal link is made for an archived client, so no reminder goes; the provider still
    gets the alert, and the scan does not fail on it."""
    from rapport.clients.services import client_archive

    problem = _report(website, alice, carol)
    client_archive(client=website.client, actor=alice.user)
    assert scan_unanswered_problems(_due(problem)) == 1
    assert not Notification.objects.filter(kind="problem_reminder").exists()
    assert Alert.objects.filter(kind=Alert.Kind.PROBLEM_UNANSWERED).count() == 1
