"""The figures of the surveys (P34): NPS = % promoters - % detractors, and NPS by month for
the workspace reports (one query, every month of the range, empty ones included)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from rapport.care.model_surveys import SurveyAnswer
from rapport.care.surveys.selectors import (
    client_surveys,
    nps_by_month,
    nps_score,
    workspace_results,
)
from rapport.care.surveys.services import survey_answer
from rapport.care.tests.survey_fixtures import MONDAY, sent_survey
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.projects.models import Project


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=60))
def test_nps_is_promoters_minus_detractors(scores: list[int]) -> None:
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    score = nps_score(promoters=promoters, detractors=detractors, answers=len(scores))
    if not scores:
        assert score is None
        return
    assert score is not None and -100 <= score <= 100
    assert abs(score - 100 * (promoters - detractors) / len(scores)) <= 0.5
    if promoters == len(scores):
        assert score == 100
    if detractors == len(scores):
        assert score == -100


def test_nps_by_month_counts_each_month_in_one_query(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice, at=datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    dora = contact_create(client=acme, actor=alice.user, name="Dora", email="d@acme.example")
    with time_machine.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC), tick=False):
        survey_answer(survey=survey, contact=carol, csat=5, nps=10, source="email")
    with time_machine.travel(datetime(2026, 12, 20, 9, 0, tzinfo=UTC), tick=False):
        survey_answer(survey=survey, contact=dora, csat=2, nps=3, source="portal")
    with CaptureQueriesContext(connection) as queries:
        months = nps_by_month(
            workspace_id=alice.workspace.pk, start=date(2026, 9, 15), end=date(2026, 12, 3)
        )
    assert len(queries) == 1
    assert [m.month for m in months] == [date(2026, m, 1) for m in (9, 10, 11, 12)]
    assert [m.answers for m in months] == [0, 1, 0, 1]
    assert [m.score for m in months] == [None, 100, None, -100]
    assert months[1].promoters == 1 and months[3].detractors == 1 and months[0].passives == 0


def test_nps_by_month_sees_only_its_workspace(
    alice: Persona, mallory: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        survey_answer(survey=survey, contact=carol, csat=5, nps=10, source="email")
    months = nps_by_month(workspace_id=mallory.workspace.pk, start=MONDAY.date(), end=MONDAY.date())
    assert [m.answers for m in months] == [0]


def test_client_card_and_results_figures(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    dora = contact_create(client=acme, actor=alice.user, name="Dora", email="d@acme.example")
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        survey_answer(survey=survey, contact=carol, csat=5, nps=10, source="email")
        survey_answer(survey=survey, contact=dora, csat=4, nps=8, source="email")
    card = client_surveys(workspace_id=alice.workspace.pk, client_id=acme.pk)
    assert card.stats.answers == 2 and str(card.stats.csat) == "4.5"
    assert card.stats.nps == 50 and card.stats.passives == 1
    results = workspace_results(workspace_id=alice.workspace.pk)
    assert results.stats.nps == 50 and len(results.answers) == 2
    assert SurveyAnswer.objects.count() == 2
