"""Client-caused patterns (P25): three client-caused problems within 90 days raise one alert,
detected at the event; its page offers what to say and a clause for next time, in the
client's language; the clause can go into the workspace's contract terms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.accounts.models import Membership
from rapport.accounts.services import user_signup
from rapport.agreements.contracts.terms import contract_template_for
from rapport.care.models import Problem
from rapport.care.patterns.detect import PATTERN_DAYS, PATTERN_EVENTS, pattern_reached
from rapport.care.patterns.services import pattern_clause_add
from rapport.care.patterns.texts import clause_text
from rapport.care.tests.fixtures import report
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.alerts import alert_action_url, alert_text
from rapport.notifications.models import Alert
from rapport.projects.models import Project

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
# Offsets in minutes before NOW: inside the window is under 90 days.
WINDOW_MINUTES = PATTERN_DAYS * 24 * 60
inside = st.integers(min_value=0, max_value=WINDOW_MINUTES - 1)
outside = st.integers(min_value=WINDOW_MINUTES, max_value=3 * WINDOW_MINUTES)


# Pure checks, but the machine running them may be busy: no deadline, no "too slow" verdict.
QUIET = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _times(offsets: list[int]) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in offsets]


@QUIET
@given(st.lists(inside, max_size=8), st.lists(inside, max_size=4))
def test_more_events_in_the_window_never_unraise(base: list[int], more: list[int]) -> None:
    if pattern_reached(_times(base), now=NOW):
        assert pattern_reached(_times(base + more), now=NOW)


@QUIET
@given(st.lists(inside, max_size=8), st.lists(outside, max_size=8))
def test_events_outside_the_window_do_not_count(base: list[int], old: list[int]) -> None:
    assert pattern_reached(_times(base + old), now=NOW) == pattern_reached(_times(base), now=NOW)
    assert pattern_reached(_times(base), now=NOW) == (len(base) >= PATTERN_EVENTS)


@QUIET
@given(st.lists(st.integers(min_value=1, max_value=10_000), max_size=6))
def test_events_after_now_do_not_count(later: list[int]) -> None:
    future = [NOW + timedelta(minutes=m) for m in later]
    assert not pattern_reached(future, now=NOW)


def _client_caused(website: Project, alice: Persona, carol: Contact, title: str) -> Problem:
    return report(
        project=website,
        alice=alice,
        contacts=[carol],
        cause=Problem.Cause.CLIENT,
        title=title,
        apology="",
        prevention="",
    )


def test_the_third_in_90_days_raises_one_alert(
    website: Project, alice: Persona, carol: Contact
) -> None:
    with time_machine.travel(datetime.now(UTC) - timedelta(days=60), tick=False):
        _client_caused(website, alice, carol, "Texts came late")
    _client_caused(website, alice, carol, "Photos came late")
    # Our own mistakes and external causes are not the client's pattern.
    report(project=website, alice=alice, contacts=[carol])
    report(project=website, alice=alice, contacts=[carol], cause=Problem.Cause.EXTERNAL)
    assert not Alert.objects.filter(kind=Alert.Kind.CLIENT_PATTERN).exists()
    _client_caused(website, alice, carol, "Approval came late")
    alert = Alert.objects.get(kind=Alert.Kind.CLIENT_PATTERN)
    assert alert.client_id == website.client_id
    assert alert.assignee_id == website.client.account_owner_id
    assert alert.data["count"] == 3
    assert alert_action_url(alert) == reverse("care:client_pattern", args=[website.client_id])
    assert "Acme Ltd" in alert_text(alert)
    # A fourth adds to the same pattern: still one alert.
    _client_caused(website, alice, carol, "Logo came late")
    assert Alert.objects.filter(kind=Alert.Kind.CLIENT_PATTERN).count() == 1


def test_events_older_than_the_window_do_not_make_a_pattern(
    website: Project, alice: Persona, carol: Contact
) -> None:
    with time_machine.travel(datetime.now(UTC) - timedelta(days=PATTERN_DAYS + 2), tick=False):
        _client_caused(website, alice, carol, "Long ago")
    _client_caused(website, alice, carol, "Recently")
    _client_caused(website, alice, carol, "Today")
    assert not Alert.objects.filter(kind=Alert.Kind.CLIENT_PATTERN).exists()


def test_the_page_lists_the_events_and_offers_texts_in_the_clients_language(
    website: Project, alice: Persona, carol: Contact, alice_http: HttpClient
) -> None:
    for title in ("Texts came late", "Photos came late", "Approval came late"):
        _client_caused(website, alice, carol, title)
    page = alice_http.get(reverse("care:client_pattern", args=[website.client_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Photos came late" in body
    # acme reads Greek: the conversation greets carol and the clause is Greek.
    with translation.override("el"):
        greeting = gettext("Hello %(name)s,") % {"name": "Carol Georgiou"}
    assert greeting in page.context["conversation"]
    assert "Photos came late" in page.context["conversation"]
    assert page.context["form"].initial["clause"] == clause_text(language="el")
    assert clause_text(language="el") != clause_text(language="en")
    assert page.context["reached"]


def test_the_owner_adds_the_clause_to_the_terms_in_the_clients_language(
    website: Project, alice: Persona, alice_http: HttpClient
) -> None:
    url = reverse("care:client_pattern_clause", args=[website.client_id])
    clause = clause_text(language="el")
    response = alice_http.post(url, {"clause": clause})
    assert response.status_code == 302
    terms = contract_template_for(alice.workspace, "el")
    assert terms.body.endswith(clause)
    again = alice_http.post(url, {"clause": clause})
    assert again.status_code == 400
    assert again.context["form"].errors["clause"]
    empty = alice_http.post(url, {"clause": "  "})
    assert empty.status_code == 400 and empty.context["form"].errors["clause"]
    assert contract_template_for(alice.workspace, "el").body.count(clause) == 1


def test_a_member_who_is_not_the_owner_is_refused_on_the_field(
    website: Project, alice: Persona
) -> None:
    member = user_signup(
        email="bob@example.com",
        name="Bob",
        password="correct-horse-battery-staple",
        workspace_name="Bob's own",
    )
    membership = Membership.objects.create(
        user=member.user, workspace=alice.workspace, role=Membership.Role.MEMBER
    )
    with pytest.raises(ApplicationError) as caught:
        pattern_clause_add(membership=membership, client=website.client, clause="A clause.")
    assert caught.value.field == "clause"
