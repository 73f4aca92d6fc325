"""The problem pages: reporting from the staff side (errors on the field, 400), the client
choosing or asking to talk in the portal in their language, and resolving."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.models import Problem
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.notifications.models import Notification
from rapport.projects.models import Milestone, Project


def _portal(contact: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def _form(carol: Contact, **changes: str) -> dict[str, object]:
    soon = (date.today() + timedelta(days=5)).isoformat()
    return {
        "title": "Server outage at the host",
        "what_happened": "The hosting company lost the staging server.",
        "cause": "external",
        "impact_days": "2",
        "impact_amount": "0",
        "plan": "We restore from last night's backup.",
        "apology": "",
        "prevention": "",
        "alt1_description": "Wait for the host to restore it",
        "alt1_cost": "0",
        "alt1_due_date": soon,
        "alt2_description": "Move to a new host now",
        "alt2_cost": "80",
        "alt2_due_date": soon,
        "contacts": [str(carol.pk)],
        **changes,
    }


def test_report_page_sends_and_shows_the_problem(
    alice_http: HttpClient, website: Project, design_milestone: Milestone, carol: Contact
) -> None:
    url = reverse("care:problem_new", args=[website.pk])
    assert alice_http.get(url).status_code == 200
    response = alice_http.post(url, _form(carol, milestone=str(design_milestone.pk)))
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("care:problem_detail", args=[problem.pk])
    assert problem.milestone_id == design_milestone.pk
    assert [a.description for a in problem.alternatives.all()] == [
        "Wait for the host to restore it",
        "Move to a new host now",
    ]
    assert Notification.objects.filter(kind="problem_report", contact=carol).count() == 1
    page = alice_http.get(reverse("care:problems", args=[website.pk]))
    assert "Server outage at the host" in page.content.decode()
    detail = alice_http.get(reverse("care:problem_detail", args=[problem.pk])).content.decode()
    assert "Move to a new host now" in detail


def test_report_page_puts_errors_on_the_field(
    alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    url = reverse("care:problem_new", args=[website.pk])
    # Our mistake without an apology, and an alternative's date in the past.
    past = (date.today() - timedelta(days=2)).isoformat()
    response = alice_http.post(url, _form(carol, cause="ours"))
    assert response.status_code == 400
    assert "apology" in response.context["form"].errors
    response = alice_http.post(url, _form(carol, alt2_due_date=past))
    assert response.status_code == 400
    assert "alt2_due_date" in response.context["form"].errors
    response = alice_http.post(
        url,
        _form(carol, alt1_description="", alt1_due_date="", alt2_description="", alt2_due_date=""),
    )
    assert response.status_code == 400
    assert "alt1_description" in response.context["form"].errors
    response = alice_http.post(url, _form(carol, impact_amount="lots"))
    assert response.status_code == 400
    assert "impact_amount" in response.context["form"].errors
    assert not Problem.objects.exists()
    assert not Notification.objects.filter(kind="problem_report").exists()


def test_client_picks_an_alternative_in_the_portal_in_their_language(
    alice: Persona, alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    http = _portal(carol)
    page = http.get(reverse("portal:project", args=[website.pk])).content.decode()
    assert reverse("portal:problem", args=[problem.pk]) in page
    response = http.get(reverse("portal:problem", args=[problem.pk]))
    assert response["Content-Language"] == "el"
    assert "We are sorry: we used an old file." in response.content.decode()
    # Not an alternative of this problem: refused on the page (400), nothing chosen yet.
    response = http.post(reverse("portal:problem_choose", args=[problem.pk]), {"alternative": "x"})
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.chosen_id is None
    second = problem.alternatives.all()[1]
    response = http.post(
        reverse("portal:problem_choose", args=[problem.pk]), {"alternative": str(second.pk)}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.chosen_id == second.pk
    assert problem.fix is not None and problem.fix.kind == Commitment.Kind.FIX
    # A second choice is refused with a message, and changes nothing.
    first = problem.alternatives.all()[0]
    response = http.post(
        reverse("portal:problem_choose", args=[problem.pk]), {"alternative": str(first.pk)}
    )
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.chosen_id == second.pk
    # Resolving from the staff page keeps the fix and reports to carol.
    response = alice_http.post(
        reverse("care:problem_resolve", args=[problem.pk]),
        {"resolution": "New layouts sent.", "contacts": [str(carol.pk)]},
    )
    assert response.status_code == 302
    assert Commitment.objects.get(pk=problem.fix.pk).state == Commitment.State.KEPT
    assert Notification.objects.filter(kind="problem_resolved", contact=carol).exists()


def test_client_asks_to_talk(alice: Persona, website: Project, carol: Contact) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    http = _portal(carol)
    response = http.post(
        reverse("portal:problem_talk", args=[problem.pk]), {"message": "Call me, please"}
    )
    assert response.status_code == 302
    request = Request.objects.get(project=website)
    assert request.body == "Call me, please"
    problem.refresh_from_db()
    assert problem.state == Problem.State.TALK
    # The alternatives can still be chosen after the talk.
    page = http.get(reverse("portal:problem", args=[problem.pk])).content.decode()
    assert reverse("portal:problem_choose", args=[problem.pk]) in page


def test_resolve_before_a_choice_is_refused_on_the_page(
    alice: Persona, alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    response = alice_http.post(
        reverse("care:problem_resolve", args=[problem.pk]),
        {"resolution": "Done.", "contacts": [str(carol.pk)]},
    )
    assert response.status_code == 400
    assert "resolution" in response.context["resolve_form"].errors
    # The provider records the choice made on a call; then resolving works.
    alt = problem.alternatives.all()[0]
    response = alice_http.post(
        reverse("care:problem_choose", args=[problem.pk]), {"alternative": str(alt.pk)}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == Problem.State.CHOSEN and problem.chosen_by_id is None
