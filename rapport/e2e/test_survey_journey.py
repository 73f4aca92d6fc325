"""The close of a project in a real browser with a real SMTP server (P30, P33, P34).

A Romanian client's project is delivered: the thank-you arrives at once, the survey three days
later, both in Romanian. The client opens the survey from the email, answers it in Romanian
(satisfaction, recommendation, an open answer, a testimonial without her name, the portfolio
permission), and the provider sees the alert, the results and the permissions.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from rapport.care.model_surveys import PortfolioPermission, Survey, SurveyAnswer
from rapport.care.model_surveys import Testimonial as Words
from rapport.care.surveys.schedule import scan_due_surveys
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import (
    Inbox,
    NewContext,
    Screenshot,
    log_in,
    reachable_now,
    sections_loaded,
)
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Alert
from rapport.projects.models import Project
from rapport.projects.services import project_create, project_update

pytestmark = pytest.mark.browser

EMAIL = "ioana@florar.example"
# What the Romanian contact reads (rapport/locale/ro/LC_MESSAGES/django.po).
RO = {
    "thanks_subject": "Vă mulțumim pentru „Magazin online”",
    "survey_subject": "Cum a mers „Magazin online”? Trei întrebări scurte",
    "csat": "Cât de mulțumit sunteți de proiect?",
    "saved": "Vă mulțumim! Am primit răspunsul dumneavoastră.",
    "send": "Trimiteți",
}
COMMENT = "Comunicare bună, dar aș fi vrut mai multe actualizări."
WORDS = "Au înțeles repede ce ne trebuia."


def test_a_delivered_project_is_surveyed_and_the_provider_sees_the_answer(
    new_context: NewContext,
    inbox: Inbox,
    screenshot: Screenshot,
    alice: Persona,
    live_server: LiveServer,
    settings: Settings,
) -> None:
    settings.SITE_URL = live_server.url
    today = dt.date.today()
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Florăria Ioana",
        status=Client.Status.ACTIVE,
        language="ro",
        timezone="Europe/Bucharest",
        currency="RON",
    )
    ioana = contact_create(
        client=client, actor=alice.user, name="Ioana Marin", email=EMAIL, language="ro"
    )
    project = project_create(
        client=client,
        actor=alice.user,
        title="Magazin online",
        start_date=today - dt.timedelta(days=60),
        due_date=today,
        status=Project.Status.ACTIVE,
    )

    # 1. Delivered: the thank-you reaches Ioana at once, in Romanian; the survey waits.
    project_update(project=project, actor=alice.user, status=Project.Status.DELIVERED)
    reachable_now(EMAIL)
    assert deliver_due(worker="e2e") == 1
    [thanks] = inbox.wait_for(1)
    assert thanks.subject == RO["thanks_subject"]
    survey = Survey.objects.get(project=project)
    assert survey.sent_at is None and survey.send_at is not None

    # 2. Three days later the tick sends the survey, in Romanian, with its own links.
    Survey.objects.filter(pk=survey.pk).update(send_at=timezone.now() - dt.timedelta(minutes=1))
    assert scan_due_surveys(timezone.now()) == 1
    reachable_now(EMAIL)
    assert deliver_due(worker="e2e") == 1
    mail = inbox.wait_for(2)[1]
    assert mail.subject == RO["survey_subject"]
    links = re.findall(re.escape(live_server.url) + r"/p/survey/[^/\s\"]+/([1-5])/", mail.html)
    assert links == ["1", "2", "3", "4", "5"]
    [survey_url] = re.findall(re.escape(live_server.url) + r"/p/survey/[^/\s]+/", mail.text)

    # 3. A scanner opening the link records nothing.
    new_context().new_page().goto(survey_url)
    assert not SurveyAnswer.objects.exists()

    # 4. Ioana answers in Romanian: 4 of 5, 6 of 10, words without her name, the portfolio.
    person = new_context(locale="ro-RO", timezone_id="Europe/Bucharest")
    page = person.new_page()
    page.goto(survey_url)
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator("main")).to_contain_text(RO["csat"])
    page.locator("input[name='csat'][value='4']").check()
    page.locator("input[name='nps'][value='6']").check()
    page.locator("textarea[name='comment']").fill(COMMENT)
    page.locator("textarea[name='testimonial']").fill(WORDS)
    page.locator("input[name='publish']").check()
    page.locator("input[name='show_company']").check()
    page.locator("input[name='portfolio']").check()
    page.locator("input[name='conditions']").fill("Fără prețuri")
    screenshot(page, "ro-survey-filled")
    page.get_by_role("button", name=RO["send"], exact=True).click()
    expect(page.locator("main")).to_contain_text(RO["saved"])
    screenshot(page, "ro-survey-thanks")
    answer = SurveyAnswer.objects.get()
    assert (answer.csat, answer.nps, answer.comment) == (4, 6, COMMENT)
    assert answer.contact_id == ioana.pk
    words = Words.objects.get()
    assert words.text == WORDS and not words.show_name and words.show_company
    assert PortfolioPermission.objects.get().conditions == "Fără prețuri"

    # 5. The provider: a warning alert (a detractor), the survey page, the client card.
    alert = Alert.objects.get(kind=Alert.Kind.SURVEY_ANSWERED)
    assert alert.severity == Alert.Severity.WARNING
    assert Alert.objects.filter(kind=Alert.Kind.TESTIMONIAL_GIVEN).count() == 1
    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto("/alerts/")
    expect(staff.locator("main")).to_contain_text("The client may be upset: call them")
    screenshot(staff, "en-survey-alert")
    staff.goto(f"/care/projects/{project.pk}/survey/")
    main = staff.locator("main")
    expect(main).to_contain_text(COMMENT)
    expect(main).to_contain_text(WORDS)
    expect(main).to_contain_text("with company, without name")
    expect(main).to_contain_text("Fără prețuri")
    expect(main).to_contain_text("-100")
    screenshot(staff, "en-survey-project")
    staff.goto(f"/clients/{client.pk}/")
    sections_loaded(staff)
    expect(staff.locator("#surveys")).to_contain_text(COMMENT)
    screenshot(staff, "en-client-surveys")
    staff.goto("/care/surveys/")
    expect(staff.locator("main")).to_contain_text("Florăria Ioana")
    screenshot(staff, "en-survey-results")
