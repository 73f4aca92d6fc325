"""What a client allows us (P33): testimonials with permission to publish, the portfolio
permission, both withdrawn by the client, and the promotion log that refuses a showing without
a permission standing on that day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from rapport.care import model_surveys
from rapport.care.model_surveys import PortfolioPermission, Promotion, SurveyAnswer
from rapport.care.surveys import consent
from rapport.care.surveys.consent import (
    portfolio_grant,
    portfolio_revoke,
    promotion_log,
    survey_respond,
)
from rapport.care.tests.survey_fixtures import MONDAY, sent_survey
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.alerts import alert_action_url
from rapport.notifications.models import Alert
from rapport.projects.models import Project

DAY = MONDAY.date()
LATER = MONDAY + timedelta(days=1)


def _respond(survey: Any, carol: Contact, **extra: Any) -> Any:
    fields: dict[str, Any] = {"csat": 5, "nps": 9, "comment": "Great", "source": "email"}
    with time_machine.travel(LATER, tick=False):
        return survey_respond(survey=survey, contact=carol, **{**fields, **extra})


def test_words_without_permission_are_refused_and_nothing_is_written(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    with pytest.raises(ApplicationError) as caught:
        _respond(survey, carol, testimonial="Lovely work", publish=False)
    assert caught.value.field == "publish"
    assert not SurveyAnswer.objects.exists() and not model_surveys.Testimonial.objects.exists()


def test_the_whole_survey_records_answer_testimonial_and_portfolio(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    done = _respond(
        survey,
        carol,
        testimonial="Lovely work",
        publish=True,
        show_name=False,
        show_company=True,
        portfolio=True,
        conditions="After our launch",
    )
    assert done.answer.csat == 5
    assert done.testimonial.text == "Lovely work" and not done.testimonial.show_name
    assert done.testimonial.show_company
    assert done.portfolio.conditions == "After our launch"
    assert done.portfolio.granted_by == carol
    alert = Alert.objects.get(kind=Alert.Kind.TESTIMONIAL_GIVEN)
    assert alert.data["show_name"] is False
    assert alert_action_url(alert) == f"/care/projects/{website.pk}/survey/"
    # Sending again edits the same testimonial and keeps the one permission.
    again = _respond(survey, carol, testimonial="Lovely!", publish=True, portfolio=True)
    assert again.testimonial.pk == done.testimonial.pk
    assert model_surveys.Testimonial.objects.get().text == "Lovely!"
    assert PortfolioPermission.objects.count() == 1
    assert Alert.objects.filter(kind=Alert.Kind.TESTIMONIAL_GIVEN).count() == 1


def test_withdrawing_keeps_who_and_when_and_refuses_twice(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    done = _respond(survey, carol, testimonial="Lovely", publish=True, portfolio=True)
    at = LATER + timedelta(days=3)
    withdrawn = consent.testimonial_withdraw(testimonial=done.testimonial, contact=carol, now=at)
    assert withdrawn.withdrawn_at == at and withdrawn.withdrawn_by == carol
    with pytest.raises(ApplicationError):
        consent.testimonial_withdraw(testimonial=done.testimonial, contact=carol)
    revoked = portfolio_revoke(permission=done.portfolio, contact=carol, now=at)
    assert revoked.revoked_at == at and revoked.revoked_by == carol
    with pytest.raises(ApplicationError):
        portfolio_revoke(permission=done.portfolio, contact=carol)
    # A new grant after a revocation is a new row; the old one stays as history.
    again = portfolio_grant(project=website, contact=carol)
    assert again.pk != revoked.pk and PortfolioPermission.objects.count() == 2


def test_another_client_cannot_give_or_withdraw(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, Any]
) -> None:
    eve = mallory_data["contact"]
    survey = sent_survey(website, alice)
    done = _respond(survey, carol, testimonial="Lovely", publish=True, portfolio=True)
    for call in (
        lambda: consent.testimonial_withdraw(testimonial=done.testimonial, contact=eve),
        lambda: portfolio_revoke(permission=done.portfolio, contact=eve),
        lambda: portfolio_grant(project=website, contact=eve),
        lambda: consent.testimonial_give(
            contact=eve, text="x", show_name=True, show_company=True, survey=survey
        ),
    ):
        with pytest.raises(ApplicationError) as caught:
            call()
        assert caught.value.code == "not_found"
    assert model_surveys.Testimonial.objects.get().withdrawn_at is None


def test_promotion_needs_a_permission_standing_that_day(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    done = _respond(survey, carol, testimonial="Lovely", publish=True, portfolio=True)
    given = LATER.date()

    def log(**kw: Any) -> Promotion:
        with time_machine.travel(LATER + timedelta(days=30), tick=False):
            return promotion_log(client=acme, actor=alice.user, channel="website", **kw)

    with pytest.raises(ApplicationError) as caught:
        log(shown_on=given)
    assert caught.value.field == "permission"
    # Before the permission was given: refused.
    with pytest.raises(ApplicationError) as caught:
        log(shown_on=given - timedelta(days=1), testimonial_id=done.testimonial.pk)
    assert caught.value.field == "permission"
    shown = log(shown_on=given + timedelta(days=2), testimonial_id=done.testimonial.pk)
    assert shown.testimonial == done.testimonial
    consent.testimonial_withdraw(
        testimonial=done.testimonial, contact=carol, now=LATER + timedelta(days=5)
    )
    # After the withdrawal: refused; a showing before it can still be recorded.
    with pytest.raises(ApplicationError) as caught:
        log(shown_on=given + timedelta(days=6), testimonial_id=done.testimonial.pk)
    assert caught.value.field == "permission"
    log(shown_on=given + timedelta(days=3), testimonial_id=done.testimonial.pk)
    by_portfolio = log(shown_on=given + timedelta(days=6), portfolio_id=done.portfolio.pk)
    assert by_portfolio.portfolio == done.portfolio
    with pytest.raises(ApplicationError) as caught:
        log(shown_on=date(2099, 1, 1), portfolio_id=done.portfolio.pk)
    assert caught.value.field == "shown_on"
    assert Promotion.objects.count() == 3


def test_promotion_refuses_another_clients_permission(
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    mallory: Persona,
    mallory_data: dict[str, Any],
) -> None:
    survey = sent_survey(website, alice)
    done = _respond(survey, carol, portfolio=True)
    with pytest.raises(ApplicationError) as caught, time_machine.travel(LATER, tick=False):
        promotion_log(
            client=mallory_data["client"],
            actor=mallory.user,
            channel="social",
            shown_on=LATER.date(),
            portfolio_id=done.portfolio.pk,
        )
    assert caught.value.field == "permission"
    assert not Promotion.objects.exists()
