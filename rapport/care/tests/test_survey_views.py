"""The provider's survey pages (P33, P34): send by hand from the project, read the answers and
the permissions, the client card, the promotion log's form and the workspace results."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.model_surveys import Promotion, Survey
from rapport.care.surveys.consent import survey_respond
from rapport.care.tests.survey_fixtures import MONDAY, deliver, sent_survey
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.notifications.models import Notification
from rapport.projects.models import Project

LATER = MONDAY + timedelta(days=1)


def test_send_by_hand_from_the_survey_page(
    alice: Persona, alice_http: HttpClient, carol: Contact, website: Project
) -> None:
    page = alice_http.get(reverse("care:project_survey", args=[website.pk]))
    assert page.status_code == 200
    # Not delivered: refused with the reason, nothing sent.
    response = alice_http.post(reverse("care:survey_send", args=[website.pk]), follow=True)
    assert "delivered" in response.content.decode()
    assert not Survey.objects.exists()
    deliver(website, alice)
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        response = alice_http.post(reverse("care:survey_send", args=[website.pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(kind="survey_request", contact=carol).count() == 1
    assert Survey.objects.get().sent_at is not None


def test_the_provider_reads_answers_and_permissions(
    alice: Persona, alice_http: HttpClient, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(LATER, tick=False):
        survey_respond(
            survey=survey,
            contact=carol,
            csat=2,
            nps=4,
            comment="Too slow",
            source="email",
            testimonial="Kind people",
            publish=True,
            portfolio=True,
            conditions="No prices",
        )
    html = alice_http.get(reverse("care:project_survey", args=[website.pk])).content.decode()
    for text in ("Too slow", "Kind people", "No prices", "Carol Georgiou", "anonymously"):
        assert text in html
    card = alice_http.get(reverse("care:client_surveys", args=[carol.client_id])).content
    assert b"Too slow" in card and b"-100" in card
    results = alice_http.get(reverse("care:survey_results")).content.decode()
    assert "Kind people" in results and "Acme Ltd" in results


def test_the_promotion_form_refuses_then_records(
    alice: Persona, alice_http: HttpClient, carol: Contact, website: Project
) -> None:
    survey = sent_survey(website, alice)
    with time_machine.travel(LATER, tick=False):
        done = survey_respond(
            survey=survey,
            contact=carol,
            csat=5,
            nps=10,
            comment="",
            source="email",
            portfolio=True,
        )
    assert done.portfolio is not None
    url = reverse("care:promotion_new", args=[carol.client_id])
    assert alice_http.get(url).status_code == 200
    data = {"channel": "social", "url": "https://example.com/post", "note": "Case study"}
    with time_machine.travel(LATER + timedelta(days=2), tick=False):
        early = alice_http.post(
            url, {**data, "shown_on": "2026-12-01", "permission": f"p:{done.portfolio.pk}"}
        )
        assert early.status_code == 400 and not Promotion.objects.exists()
        response = alice_http.post(
            url,
            {
                **data,
                "shown_on": (LATER + timedelta(days=1)).date().isoformat(),
                "permission": f"p:{done.portfolio.pk}",
            },
        )
    assert response.status_code == 302
    assert Promotion.objects.get().portfolio == done.portfolio
