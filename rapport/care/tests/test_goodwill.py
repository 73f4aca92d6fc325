"""Goodwill time against our own mistakes (P35): hours of the fix given free, recorded with
clear refusals, shown on the problem and the client's page, told in the resolution report
when the provider chooses to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from rapport.care.models import Problem
from rapport.care.problems.goodwill import problem_goodwill_record
from rapport.care.problems.services import problem_choose, problem_resolve
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification
from rapport.projects.models import Deliverable, Project


def _resolve(problem: Problem, alice: Persona, carol: Contact) -> Problem:
    problem_choose(problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol)
    return problem_resolve(
        problem=problem, actor=alice.user, resolution="Redone and delivered.", contacts=[carol]
    )


def test_goodwill_is_recorded_and_told_in_the_resolution_report(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    problem_goodwill_record(
        problem=problem, actor=alice.user, hours="2,5", amount="100", note="Evening", tell=True
    )
    problem.refresh_from_db()
    assert problem.goodwill_hours == Decimal("2.5")
    assert problem.goodwill_amount == Decimal("100")
    assert problem.goodwill_tell
    _resolve(problem, alice, carol)
    note = Notification.objects.get(kind="problem_resolved", contact=carol)
    # In carol's Greek, the hours written the Greek way.
    assert _untold_sentence("el", "2,5") in note.body
    assert _untold_sentence("el", "2,5") in note.html


def test_goodwill_not_told_stays_out_of_the_report(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    problem_goodwill_record(problem=problem, actor=alice.user, hours="3", tell=False)
    _resolve(problem, alice, carol)
    body = Notification.objects.get(kind="problem_resolved").body
    assert _untold_sentence("el", "3") not in body


def _untold_sentence(language: str, hours: str) -> str:
    with translation.override(language):
        return gettext("We did not charge for the %(hours)s hours the fix took.") % {"hours": hours}


def test_value_left_empty_is_the_hours_at_the_projects_rate(
    website: Project, alice: Persona, carol: Contact, layouts: Deliverable
) -> None:
    Deliverable.objects.filter(pk=layouts.pk).update(revision_hourly_rate=Decimal("40"))
    problem = report(project=website, alice=alice, contacts=[carol])
    problem_goodwill_record(problem=problem, actor=alice.user, hours="1.5", amount="")
    problem.refresh_from_db()
    assert problem.goodwill_amount == Decimal("60.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours": "-1"}, "goodwill_hours"),
        ({"hours": "0"}, "goodwill_hours"),
        ({"hours": "abc"}, "goodwill_hours"),
        ({"hours": "1.234"}, "goodwill_hours"),
        ({"hours": "100000"}, "goodwill_hours"),
        ({"amount": "-3"}, "goodwill_amount"),
        ({"amount": "lots"}, "goodwill_amount"),
        ({"note": "x" * 501}, "goodwill_note"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    website: Project, alice: Persona, carol: Contact, changes: dict[str, Any], field: str
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    with pytest.raises(ApplicationError) as caught:
        problem_goodwill_record(
            problem=problem, actor=alice.user, **{"hours": "2", "amount": None, **changes}
        )
    assert caught.value.field == field
    problem.refresh_from_db()
    assert problem.goodwill_hours is None


@pytest.mark.parametrize("cause", [Problem.Cause.CLIENT, Problem.Cause.EXTERNAL])
def test_goodwill_only_against_our_own_mistakes(
    website: Project, alice: Persona, carol: Contact, cause: str
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol], cause=cause)
    with pytest.raises(ApplicationError) as caught:
        problem_goodwill_record(problem=problem, actor=alice.user, hours="2")
    assert caught.value.field == "goodwill_hours"


def test_telling_after_the_report_went_is_refused(
    website: Project, alice: Persona, carol: Contact
) -> None:
    problem = _resolve(report(project=website, alice=alice, contacts=[carol]), alice, carol)
    with pytest.raises(ApplicationError) as caught:
        problem_goodwill_record(problem=problem, actor=alice.user, hours="2", tell=True)
    assert caught.value.field == "goodwill_tell"
    # Recording it for the provider's own account, untold, is still possible.
    problem_goodwill_record(problem=problem, actor=alice.user, hours="2")


def test_the_form_names_the_field_and_the_pages_show_the_sum(
    website: Project, alice: Persona, carol: Contact, alice_http: HttpClient
) -> None:
    problem = report(project=website, alice=alice, contacts=[carol])
    url = reverse("care:problem_goodwill", args=[problem.pk])
    bad = alice_http.post(url, {"goodwill_hours": "-2"})
    assert bad.status_code == 400
    assert bad.context["goodwill_form"].errors["goodwill_hours"]
    other = report(project=website, alice=alice, contacts=[carol], title="Second")
    for p, hours in ((problem, "2"), (other, "1.5")):
        response = alice_http.post(
            reverse("care:problem_goodwill", args=[p.pk]),
            {"goodwill_hours": hours, "goodwill_amount": "50", "goodwill_note": ""},
        )
        assert response.status_code == 302
    page = alice_http.get(reverse("care:problem_detail", args=[problem.pk]))
    assert page.status_code == 200 and "goodwill" in page.content.decode()
    client_page = alice_http.get(reverse("clients:detail", args=[website.client_id])).content
    assert "3,5" in client_page.decode() or "3.5" in client_page.decode()
