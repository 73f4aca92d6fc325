"""Answering the pulse (P23): one answer per contact and update, errors naming the field, the
client-upset alert on a drop, and the trend per client and project."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from rapport.care.models import PulseAnswer
from rapport.care.pulse.rules import Direction
from rapport.care.pulse.selectors import client_pulse, contact_answer, project_pulse
from rapport.care.pulse.services import pulse_answer
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert
from rapport.projects.models import Project, ProjectUpdate
from rapport.projects.updates import update_send

EMAIL = PulseAnswer.Source.EMAIL
PORTAL = PulseAnswer.Source.PORTAL


def _update(website: Project, alice: Persona, carol: Contact) -> ProjectUpdate:
    return update_send(project=website, actor=alice.user, contacts=[carol], no_big_news=True)


def _upset() -> list[Alert]:
    return list(Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET))


@pytest.mark.parametrize("score", ["0", "6", "", "great", None])
def test_bad_score_names_the_field_and_writes_nothing(
    alice: Persona, carol: Contact, website: Project, score: object
) -> None:
    with pytest.raises(ApplicationError) as caught:
        pulse_answer(contact=carol, score=score, source=PORTAL, project=website)  # type: ignore[arg-type]
    assert caught.value.field == "score"
    assert not PulseAnswer.objects.exists()


def test_long_comment_names_the_field(alice: Persona, carol: Contact, website: Project) -> None:
    with pytest.raises(ApplicationError) as caught:
        pulse_answer(contact=carol, score=4, source=PORTAL, project=website, comment="x" * 2001)
    assert caught.value.field == "comment"


def test_one_answer_per_update_answering_again_changes_it(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    first = pulse_answer(contact=carol, update=update, score=4, source=EMAIL, comment="Fine")
    again = pulse_answer(contact=carol, update=update, score=5, source=PORTAL)
    assert again.pk == first.pk and PulseAnswer.objects.count() == 1
    again.refresh_from_db()
    # A change without a comment keeps the one given before.
    assert (again.score, again.comment, again.source) == (5, "Fine", PORTAL)
    assert again.project_id == website.pk and again.client_id == carol.client_id
    assert contact_answer(contact=carol, update=update) == again


def test_a_comment_on_the_same_face_is_not_another_timeline_entry(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    pulse_answer(contact=carol, update=update, score=2, source=EMAIL)
    pulse_answer(contact=carol, update=update, score=2, source=EMAIL, comment="Too slow")
    answered = TimelineEvent.objects.filter(verb="pulse.answered")
    assert answered.count() == 1
    pulse_answer(contact=carol, update=update, score=4, source=PORTAL)
    assert answered.count() == 2


def test_portal_answers_without_update_are_dated(
    alice: Persona, carol: Contact, website: Project
) -> None:
    now = timezone.now()
    pulse_answer(contact=carol, score=4, source=PORTAL, project=website, now=now)
    pulse_answer(contact=carol, score=3, source=PORTAL, project=website, now=now)
    assert PulseAnswer.objects.count() == 1
    pulse_answer(
        contact=carol, score=5, source=PORTAL, project=website, now=now + timedelta(days=2)
    )
    assert list(PulseAnswer.objects.values_list("score", flat=True)) == [5, 3]


def test_update_of_another_client_is_not_found(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, object]
) -> None:
    other = mallory_data["contact"]
    update = _update(website, alice, carol)
    with pytest.raises(ApplicationError) as caught:
        pulse_answer(contact=other, update=update, score=4, source=EMAIL)  # type: ignore[arg-type]
    assert caught.value.code == "not_found"


def test_unhappy_face_raises_the_upset_alert_once(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    pulse_answer(contact=carol, update=update, score=4, source=EMAIL)
    assert not _upset()
    answer = pulse_answer(contact=carol, update=update, score=2, source=EMAIL, comment="Slow")
    pulse_answer(contact=carol, update=update, score=1, source=EMAIL)
    [alert] = _upset()
    assert alert.subject_id == answer.pk and alert.subject_type == "pulseanswer"
    assert alert.data["score"] == 2 and alert.data["comment"] == "Slow"
    assert alert.data["source"] == "pulse" and alert.data["project"] == website.title
    with translation.override("en"):
        assert alert_text(alert) == f"{carol.name} may be upset: answered 😕 (2 of 5) to the pulse"
    # A comment written later reaches the alert; a kinder face leaves it open.
    pulse_answer(contact=carol, update=update, score=4, source=EMAIL, comment="Better now")
    alert.refresh_from_db()
    assert alert.data["comment"] == "Better now" and alert.state == Alert.State.OPEN


def test_a_slide_raises_as_falling(alice: Persona, carol: Contact, website: Project) -> None:
    start = timezone.now() - timedelta(days=30)
    for day, score in enumerate([5, 5, 5, 5, 4]):
        pulse_answer(
            contact=carol,
            score=score,
            source=PORTAL,
            project=website,
            now=start + timedelta(days=day),
        )
    assert not _upset()
    pulse_answer(contact=carol, score=3, source=PORTAL, project=website)
    [alert] = _upset()
    assert alert.data["drop"] == "falling"
    # No single answer is unhappy, but 😀 😀 became 😀 😊 😐.
    assert alert.data["previous_average"] == "5.0" and alert.data["recent_average"] == "4.0"
    with translation.override("en"):
        assert "fell from 5.0 to 4.0" in alert_text(alert)


def test_trend_per_client_and_project(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, object]
) -> None:
    start = timezone.now() - timedelta(days=30)
    for day, score in enumerate([2, 3, 2, 4, 5, 4, 5]):
        pulse_answer(
            contact=carol,
            score=score,
            source=PORTAL,
            project=website,
            now=start + timedelta(days=day),
        )
    pulse = client_pulse(workspace_id=alice.workspace.pk, client_id=carol.client_id)
    assert [a.score for a in pulse.answers] == [5, 4, 5, 4, 2, 3]
    assert pulse.recent == Decimal("4.7") and pulse.previous == Decimal("3.0")
    assert pulse.direction == Direction.UP
    assert project_pulse(workspace_id=alice.workspace.pk, project_id=website.pk) == pulse
    # Another workspace reads nothing of it.
    mallory_ws = mallory_data["client"].workspace_id  # type: ignore[attr-defined]
    assert not client_pulse(workspace_id=mallory_ws, client_id=carol.client_id).answers
