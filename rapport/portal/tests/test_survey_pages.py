"""The survey in the portal (P33, P34): a survey link records nothing on GET and answers on
POST, in the contact's language; a bad token gets a clear page; the portal home lists the open
survey and what the client allowed us, and the client withdraws it (tenancy: 404 outside)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.core import signing
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.model_surveys import PortfolioPermission, SurveyAnswer
from rapport.care.model_surveys import Testimonial as Words
from rapport.care.surveys.links import SURVEY_SALT, survey_token
from rapport.care.tests.survey_fixtures import MONDAY, sent_survey
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import Persona
from rapport.projects.models import Project

LATER = MONDAY + timedelta(days=1)
ANSWER = {
    "csat": "4",
    "nps": "9",
    "comment": "Clear and on time",
    "testimonial": "They listened.",
    "publish": "on",
    "show_company": "on",
    "portfolio": "on",
    "conditions": "After launch",
}


def _portal(contact: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def test_a_survey_link_records_nothing_on_get_and_answers_on_post(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    token = survey_token(contact_id=carol.pk, survey_id=survey.pk)
    http = HttpClient()
    with time_machine.travel(LATER, tick=False):
        page = http.get(reverse("portal:survey_link_csat", args=[token, 4]))
        # A link scanner stops here: nothing is written by a GET.
        assert page.status_code == 200 and not SurveyAnswer.objects.exists()
        assert page["Content-Language"] == "el"
        html = page.content.decode()
        assert 'value="4" required' in html or 'value="4"' in html
        assert "checked" in html
        response = http.post(reverse("portal:survey_link", args=[token]), ANSWER)
        assert response.status_code == 302
        thanks = http.get(response["Location"])
    assert thanks.status_code == 200
    answer = SurveyAnswer.objects.get()
    assert (answer.csat, answer.nps, answer.source) == (4, 9, "email")
    words = Words.objects.get()
    assert words.show_company and not words.show_name
    assert PortfolioPermission.objects.get().conditions == "After launch"


def test_an_answer_with_a_missing_number_names_the_field(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    token = survey_token(contact_id=carol.pk, survey_id=survey.pk)
    with time_machine.travel(LATER, tick=False):
        response = HttpClient().post(
            reverse("portal:survey_link", args=[token]), {**ANSWER, "nps": ""}
        )
    assert response.status_code == 400
    assert not SurveyAnswer.objects.exists() and not Words.objects.exists()


def test_a_bad_or_old_token_gets_a_clear_page(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    token = survey_token(contact_id=carol.pk, survey_id=survey.pk)
    http = HttpClient()
    assert http.get(reverse("portal:survey_link", args=[token + "x"])).status_code == 404
    forged = signing.dumps([carol.pk, survey.pk], salt="another-salt")
    assert http.get(reverse("portal:survey_link", args=[forged])).status_code == 404
    assert SURVEY_SALT != "another-salt"
    with time_machine.travel(MONDAY + timedelta(days=121), tick=False):
        response = http.get(reverse("portal:survey_link", args=[token]))
    assert response.status_code == 404


def test_a_token_of_another_workspace_contact_reaches_nothing(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, Any]
) -> None:
    survey = sent_survey(website, alice)
    token = survey_token(contact_id=mallory_data["contact"].pk, survey_id=survey.pk)
    response = HttpClient().post(reverse("portal:survey_link", args=[token]), ANSWER)
    assert response.status_code == 404 and not SurveyAnswer.objects.exists()


def test_the_portal_home_lists_the_survey_and_the_client_withdraws(
    alice: Persona, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    http = _portal(carol)
    with time_machine.travel(LATER, tick=False):
        section = http.get(reverse("portal:home_surveys"), headers={"HX-Request": "true"})
        assert reverse("portal:survey", args=[survey.pk]) in section.content.decode()
        response = http.post(reverse("portal:survey", args=[survey.pk]), ANSWER)
        assert response.status_code == 302
        assert SurveyAnswer.objects.get().source == "portal"
        section = http.get(reverse("portal:home_surveys"), headers={"HX-Request": "true"})
    html = section.content.decode()
    words = Words.objects.get()
    permission = PortfolioPermission.objects.get()
    assert reverse("portal:testimonial_withdraw", args=[words.pk]) in html
    assert reverse("portal:portfolio_revoke", args=[permission.pk]) in html
    assert http.post(reverse("portal:testimonial_withdraw", args=[words.pk])).status_code == 302
    assert http.post(reverse("portal:portfolio_revoke", args=[permission.pk])).status_code == 302
    words.refresh_from_db()
    permission.refresh_from_db()
    assert words.withdrawn_by == carol and permission.revoked_by == carol
    html = http.get(reverse("portal:home_surveys")).content.decode()
    assert reverse("portal:testimonial_withdraw", args=[words.pk]) not in html


def test_another_clients_contact_cannot_open_or_withdraw(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, Any]
) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(LATER, tick=False):
        _portal(carol).post(reverse("portal:survey", args=[survey.pk]), ANSWER)
    eve = _portal(mallory_data["contact"])
    words = Words.objects.get()
    permission = PortfolioPermission.objects.get()
    assert eve.get(reverse("portal:survey", args=[survey.pk])).status_code == 404
    assert eve.post(reverse("portal:testimonial_withdraw", args=[words.pk])).status_code == 404
    assert eve.post(reverse("portal:portfolio_revoke", args=[permission.pk])).status_code == 404
    words.refresh_from_db()
    assert words.withdrawn_at is None
