"""The close of a project (P30, P34): thank-you at delivery, the survey a few days later or by
hand, one answer per contact and survey, the alert, and the tenancy of answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from rapport.care.model_surveys import Survey, SurveyAnswer
from rapport.care.surveys.links import survey_token_read
from rapport.care.surveys.schedule import scan_due_surveys
from rapport.care.surveys.services import SURVEY_DELAY_DAYS, survey_answer, survey_send
from rapport.care.tests.survey_fixtures import MONDAY, deliver, sent_survey
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_archive, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.periodic import JOBS
from rapport.core.timeline import describe_event
from rapport.notifications.alerts import alert_action_url, alert_text
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Project

EMAIL = SurveyAnswer.Source.EMAIL


def test_delivery_thanks_now_and_schedules_the_survey(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    dora = contact_create(client=acme, actor=alice.user, name="Dora", email="dora@acme.example")
    # Calls only, no SMS set up and no email: nothing to write to, so left out, and the
    # delivery does not fail for her.
    contact_create(
        client=acme,
        actor=alice.user,
        name="Phone only",
        phone="+30 210 000 0000",
        preferred_channel="phone",
    )
    gone = contact_create(client=acme, actor=alice.user, name="Old", email="old@acme.example")
    contact_archive(contact=gone, actor=alice.user)
    deliver(website, alice)
    thanks = Notification.objects.filter(kind="project_thanks").order_by("contact_id")
    assert [n.contact_id for n in thanks] == [carol.pk, dora.pk]
    # In each contact's language: carol reads Greek.
    assert thanks[0].language == "el" and "New website" in thanks[0].subject
    survey = Survey.objects.get(project=website)
    assert survey.send_at == MONDAY + timedelta(days=SURVEY_DELAY_DAYS)
    assert survey.sent_at is None
    assert not Notification.objects.filter(kind="survey_request").exists()


def test_the_tick_sends_due_surveys_once(alice: Persona, carol: Contact, website: Project) -> None:
    assert scan_due_surveys in JOBS
    deliver(website, alice)
    survey = Survey.objects.get(project=website)
    assert survey.send_at is not None
    assert scan_due_surveys(survey.send_at - timedelta(minutes=1)) == 0
    due = survey.send_at + timedelta(minutes=1)
    assert scan_due_surveys(due) == 1
    note = Notification.objects.get(kind="survey_request", contact=carol)
    assert note.language == "el"
    token = note.body.split("/p/survey/")[1].split("/")[0]
    assert survey_token_read(token) == (carol.pk, survey.pk)
    survey.refresh_from_db()
    assert survey.send_at is None and survey.sent_at == due
    assert scan_due_surveys(due + timedelta(days=5)) == 0
    assert Notification.objects.filter(kind="survey_request").count() == 1
    event = TimelineEvent.objects.get(verb="survey.sent")
    assert "New website" in describe_event(event.verb, event.data)


def test_a_second_delivery_thanks_and_schedules_once(
    alice: Persona, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    deliver_back = MONDAY + timedelta(days=1)
    with time_machine.travel(deliver_back, tick=False):
        from rapport.projects.services import project_update

        project_update(project=website, actor=alice.user, status=Project.Status.ACTIVE)
    deliver(website, alice, deliver_back + timedelta(hours=1))
    assert Notification.objects.filter(kind="project_thanks").count() == 1
    assert Survey.objects.filter(project=website).count() == 1


def test_send_by_hand_refuses_an_undelivered_project_and_a_second_send(
    alice: Persona, carol: Contact, website: Project
) -> None:
    with pytest.raises(ApplicationError) as caught:
        survey_send(project=website, actor=alice.user)
    assert caught.value.field == "project"
    assert not Survey.objects.exists()
    survey = sent_survey(website, alice)
    assert survey.sent_at == MONDAY and survey.requested_by == alice.user
    assert Notification.objects.filter(kind="survey_request").count() == 1
    with pytest.raises(ApplicationError) as caught:
        survey_send(project=website, actor=alice.user)
    assert caught.value.field == "project"


@pytest.mark.parametrize(
    ("csat", "nps", "field"),
    [
        (0, 5, "csat"),
        (6, 5, "csat"),
        ("x", 5, "csat"),
        (None, 5, "csat"),
        (3, 11, "nps"),
        (3, -1, "nps"),
        (3, "", "nps"),
    ],
)
def test_bad_numbers_name_the_field_and_write_nothing(
    alice: Persona, carol: Contact, website: Project, csat: object, nps: object, field: str
) -> None:
    survey = sent_survey(website, alice)
    with pytest.raises(ApplicationError) as caught:
        survey_answer(survey=survey, contact=carol, csat=csat, nps=nps, source=EMAIL)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert not SurveyAnswer.objects.exists()


def test_answering_again_edits_the_one_answer(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        first = survey_answer(survey=survey, contact=carol, csat=5, nps=10, source=EMAIL)
        # The same answer twice: still one row and one alert.
        survey_answer(survey=survey, contact=carol, csat=5, nps=10, source=EMAIL)
        assert Alert.objects.filter(kind=Alert.Kind.SURVEY_ANSWERED).count() == 1
        second = survey_answer(
            survey=survey, contact=carol, csat=2, nps=3, comment="Slow", source=EMAIL
        )
    assert first.pk == second.pk
    row = SurveyAnswer.objects.get()
    assert (row.csat, row.nps, row.comment) == (2, 3, "Slow")
    alerts = list(Alert.objects.filter(kind=Alert.Kind.SURVEY_ANSWERED).order_by("pk"))
    assert len(alerts) == 2


def test_the_alert_is_a_warning_for_a_detractor_and_links_the_survey(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        survey_answer(survey=survey, contact=carol, csat=4, nps=5, source=EMAIL)
    alert = Alert.objects.get(kind=Alert.Kind.SURVEY_ANSWERED)
    assert alert.severity == Alert.Severity.WARNING and alert.data["upset"] is True
    assert alert.assignee_id == alice.user.pk
    assert alert_action_url(alert) == f"/care/projects/{website.pk}/survey/"
    text = alert_text(alert)
    assert "Carol Georgiou" in text and "may be upset" in text


def test_a_promoter_raises_an_info_alert(alice: Persona, carol: Contact, website: Project) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        survey_answer(survey=survey, contact=carol, csat=5, nps=9, source=EMAIL)
    alert = Alert.objects.get(kind=Alert.Kind.SURVEY_ANSWERED)
    assert alert.severity == Alert.Severity.INFO and alert.data["band"] == "promoter"
    assert "may be upset" not in alert_text(alert) and "9 of 10" in alert_text(alert)


def test_another_clients_contact_cannot_answer(
    alice: Persona,
    mallory: Persona,
    carol: Contact,
    website: Project,
    mallory_data: dict[str, Any],
) -> None:
    survey = sent_survey(website, alice)
    with pytest.raises(ApplicationError) as caught:
        survey_answer(survey=survey, contact=mallory_data["contact"], csat=5, nps=10, source=EMAIL)
    assert caught.value.code == "not_found"
    assert not SurveyAnswer.objects.exists()


def test_an_unsent_or_closed_survey_takes_no_answer(
    alice: Persona, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    survey = Survey.objects.get()
    with pytest.raises(ApplicationError):
        survey_answer(survey=survey, contact=carol, csat=5, nps=10, source=EMAIL)
    with time_machine.travel(MONDAY, tick=False):
        survey = survey_send(project=website, actor=alice.user)
    with (
        time_machine.travel(MONDAY + timedelta(days=121), tick=False),
        pytest.raises(ApplicationError),
    ):
        survey_answer(survey=survey, contact=carol, csat=5, nps=10, source=EMAIL)
