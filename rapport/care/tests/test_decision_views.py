"""The decisions pages: recording from the staff side (errors on the field, 400), the log and
the project page's card, the client deciding in the portal in their language, and a
recommendation of another client's being a 404 there."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.model_decisions import Decision
from rapport.care.problems.services import problem_choose
from rapport.care.tests.decision_fixtures import recommend
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.tests.sections import page_with_sections
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Project


def _portal(contact: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def _form(carol: Contact, **changes: str) -> dict[str, object]:
    soon = (date.today() + timedelta(days=20)).isoformat()
    return {
        "title": "Which payment provider",
        "recommendation": "Stripe: your clients abroad pay by card.",
        "opt1_label": "Stripe",
        "opt1_notes": "1.5% a payment",
        "opt1_cost": "0",
        "opt1_due_date": soon,
        "opt2_label": "Bank transfer only",
        "opt2_notes": "",
        "opt2_cost": "",
        "opt2_due_date": "",
        "recommended": "1",
        "chosen": "",
        "contacts": [str(carol.pk)],
        **changes,
    }


def test_recording_an_open_recommendation_sends_it_and_lists_it(
    alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    url = reverse("care:decision_new", args=[website.pk])
    assert alice_http.get(url).status_code == 200
    response = alice_http.post(url, _form(carol))
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("care:decision_detail", args=[decision.pk])
    assert decision.is_open and [o.label for o in decision.options.all()] == [
        "Stripe",
        "Bank transfer only",
    ]
    assert Notification.objects.filter(kind="decision_open", contact=carol).count() == 1
    log = alice_http.get(reverse("care:decisions", args=[website.pk])).content.decode()
    assert "Which payment provider" in log
    project_page = page_with_sections(alice_http, reverse("projects:detail", args=[website.pk]))
    assert reverse("care:decision_detail", args=[decision.pk]) in project_page
    detail = alice_http.get(reverse("care:decision_detail", args=[decision.pk])).content.decode()
    assert (
        "Bank transfer only" in detail
        and reverse("care:decision_decide", args=[decision.pk]) in detail
    )


def test_recording_puts_errors_on_the_field(
    alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    url = reverse("care:decision_new", args=[website.pk])
    response = alice_http.post(url, _form(carol, opt2_label="", opt2_notes=""))
    assert response.status_code == 400
    assert "opt2_label" in response.context["form"].errors
    response = alice_http.post(url, _form(carol, opt1_cost="a lot"))
    assert response.status_code == 400
    assert "opt1_cost" in response.context["form"].errors
    # Already decided, but without who decided, how and why.
    response = alice_http.post(url, _form(carol, chosen="2"))
    assert response.status_code == 400
    assert "decided_by" in response.context["form"].errors
    response = alice_http.post(
        url, _form(carol, chosen="2", decided_by=str(carol.pk), decided_via="call")
    )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    future = (date.today() + timedelta(days=3)).isoformat()
    response = alice_http.post(
        url,
        _form(
            carol,
            chosen="2",
            decided_by=str(carol.pk),
            decided_via="call",
            reason="Cheaper",
            decided_at=future,
        ),
    )
    assert response.status_code == 400
    assert "decided_at" in response.context["form"].errors
    response = alice_http.post(url, _form(carol, title="", recommendation=""))
    assert response.status_code == 400
    assert {"title", "recommendation"} <= set(response.context["form"].errors)
    assert not Decision.objects.exists()
    assert not Notification.objects.filter(kind="decision_open").exists()


def test_recording_a_decision_taken_on_a_call(
    alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    response = alice_http.post(
        reverse("care:decision_new", args=[website.pk]),
        _form(
            carol,
            chosen="2",
            decided_by=str(carol.pk),
            decided_via="call",
            reason="Their accountant prefers it.",
        ),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.state == Decision.State.DECIDED and decision.decided_by == carol
    assert decision.chosen is not None and decision.chosen.label == "Bank transfer only"
    assert not Notification.objects.filter(kind="decision_open").exists()


def test_the_provider_records_the_clients_decision_on_the_page(
    alice: Persona, alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    decision = recommend(project=website, alice=alice)
    url = reverse("care:decision_decide", args=[decision.pk])
    option = decision.options.all()[0]
    response = alice_http.post(url, {"option": str(option.pk), "decided_by": str(carol.pk)})
    assert response.status_code == 400
    assert "decided_via" in response.context["decide_form"].errors
    response = alice_http.post(
        url,
        {
            "option": str(option.pk),
            "decided_by": str(carol.pk),
            "decided_via": "email",
            "reason": "Speed first.",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.chosen_id == option.pk and decision.decided_via == Decision.Via.EMAIL


def test_client_decides_in_the_portal_in_their_language(
    alice: Persona, website: Project, carol: Contact
) -> None:
    decision = recommend(project=website, alice=alice)
    http = _portal(carol)
    page = http.get(reverse("portal:project", args=[website.pk])).content.decode()
    assert reverse("portal:decision", args=[decision.pk]) in page
    response = http.get(reverse("portal:decision", args=[decision.pk]))
    assert response["Content-Language"] == "el"
    assert "A static site: your visitors are on slow phones." in response.content.decode()
    url = reverse("portal:decision_decide", args=[decision.pk])
    response = http.post(url, {"option": "x"})
    assert response.status_code == 400
    assert "option" in response.context["form"].errors
    second = decision.options.all()[1]
    response = http.post(url, {"option": str(second.pk), "reason": "Cheaper for now"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.chosen_id == second.pk and decision.reason == "Cheaper for now"
    assert Alert.objects.filter(kind=Alert.Kind.DECISION_MADE, subject_id=decision.pk).exists()
    again = http.post(url, {"option": str(decision.options.all()[0].pk)})
    assert again.status_code == 400
    decision.refresh_from_db()
    assert decision.chosen_id == second.pk
    page = http.get(reverse("portal:decision", args=[decision.pk])).content.decode()
    assert "Cheaper for now" in page and url not in page


def test_another_clients_contact_gets_404(alice: Persona, website: Project) -> None:
    decision = recommend(project=website, alice=alice)
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other Co")
    olga = contact_create(client=other, actor=alice.user, name="Olga", email="olga@other.example")
    http = _portal(olga)
    assert http.get(reverse("portal:decision", args=[decision.pk])).status_code == 404
    option = decision.options.all()[0]
    response = http.post(
        reverse("portal:decision_decide", args=[decision.pk]), {"option": str(option.pk)}
    )
    assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.is_open


def test_the_problem_page_links_to_its_decision(
    alice: Persona, alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    problem_choose(problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol)
    decision = Decision.objects.get(problem=problem)
    page = alice_http.get(reverse("care:problem_detail", args=[problem.pk])).content.decode()
    assert reverse("care:decision_detail", args=[decision.pk]) in page
    detail = alice_http.get(reverse("care:decision_detail", args=[decision.pk])).content.decode()
    assert reverse("care:problem_detail", args=[problem.pk]) in detail
