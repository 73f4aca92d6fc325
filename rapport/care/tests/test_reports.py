"""The reports' selectors against rows with known answers (P34, P15, P10, P14): months cut at
midnight in the workspace's zone (Europe/Athens), currencies apart, empty months present,
another workspace's rows never counted. Runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from rapport.billing.models import Invoice
from rapport.billing.selectors import MonthRevenue, revenue_by_month
from rapport.care.keepintouch.selectors import pillars_by_month
from rapport.care.reports.sections import report_sections
from rapport.care.reports.selectors import report_period
from rapport.care.tests.report_fixtures import (
    answered_request,
    invoice,
    payment,
    project,
    resolved_commitment,
)
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create
from rapport.commitments.models import Commitment
from rapport.commitments.selectors import keeping_by_month
from rapport.conftest import Persona
from rapport.conversations.selectors import response_times_by_month
from rapport.projects.models import Project

# Mid-June 2026: the last twelve months are July 2025 to June 2026. Athens is UTC+3 in
# summer, so 21:30 UTC on 30 April is already 1 May there.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
LAST_APRIL_EVENING = datetime(2026, 4, 30, 20, 30, tzinfo=UTC)  # 23:30 on 30 April in Athens
FIRST_MAY_NIGHT = datetime(2026, 4, 30, 21, 30, tzinfo=UTC)  # 00:30 on 1 May in Athens
HOUR = timedelta(hours=1)
TARGET = 4 * HOUR
APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _period(alice: Persona, length: int = 12):  # type: ignore[no-untyped-def]
    return report_period(workspace=alice.workspace, length=length, now=NOW)


def test_the_period_is_whole_months_up_to_this_one_in_the_workspaces_zone(
    alice: Persona,
) -> None:
    period = _period(alice)
    assert period.months[0] == date(2025, 7, 1) and period.months[-1] == JUNE
    assert len(period.months) == 12
    assert period.since == datetime(2025, 6, 30, 21, 0, tzinfo=UTC)
    assert [m.month for m in _period(alice, 3).months] == [4, 5, 6]
    assert _period(alice, 24).months[0] == date(2024, 7, 1)
    # A length the page does not offer is the default.
    assert len(_period(alice, 7).months) == 12
    # 22:30 UTC on 30 November is already December in Athens: December is the last month.
    late = report_period(
        workspace=alice.workspace, length=3, now=datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    )
    assert late.months == (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))


def test_response_times_by_month(alice: Persona, acme: Client, mallory: Persona) -> None:
    answered_request(acme, LAST_APRIL_EVENING, 2 * HOUR, TARGET)
    answered_request(acme, FIRST_MAY_NIGHT, 1 * HOUR, TARGET)
    answered_request(acme, datetime(2026, 5, 10, 9, tzinfo=UTC), 3 * HOUR, TARGET)
    answered_request(acme, datetime(2026, 5, 20, 9, tzinfo=UTC), 10 * HOUR, TARGET)
    answered_request(acme, datetime(2026, 5, 21, 9, tzinfo=UTC), None, TARGET)  # unanswered
    # Before the period: 23:30 on 30 June 2025 in Athens.
    answered_request(acme, datetime(2025, 6, 30, 20, 30, tzinfo=UTC), HOUR, TARGET)
    theirs = client_create(workspace=mallory.workspace, actor=mallory.user, name="Theirs")
    answered_request(theirs, datetime(2026, 5, 12, 9, tzinfo=UTC), 50 * HOUR, TARGET)

    period = _period(alice)
    found = response_times_by_month(workspace=alice.workspace, since=period.since, zone=period.zone)

    assert set(found) == {APRIL, MAY}
    assert found[APRIL].answered == 1 and found[APRIL].median == 2 * HOUR
    may = found[MAY]
    assert (may.answered, may.within_target) == (3, 2)
    assert may.median == 3 * HOUR
    # percentile_cont: 3 h + 0.8 * (10 h - 3 h).
    assert may.p90 == timedelta(hours=8, minutes=36)
    assert may.share_within_target == pytest.approx(2 / 3)


def test_keeping_by_month(alice: Persona, acme: Client) -> None:
    state = Commitment.State
    for ended in (state.KEPT, state.KEPT, state.BROKEN, state.MOVED, state.RENEGOTIATED):
        resolved_commitment(acme, datetime(2026, 5, 12, 9, tzinfo=UTC), ended)
    resolved_commitment(acme, FIRST_MAY_NIGHT, state.CANCEL_AGREED)
    resolved_commitment(acme, LAST_APRIL_EVENING, state.CANCELLED)
    # Not counted: a quote's validity is not owed, superseded and open rows are not ended.
    resolved_commitment(acme, FIRST_MAY_NIGHT, state.KEPT, kind=Commitment.Kind.QUOTE)
    resolved_commitment(acme, FIRST_MAY_NIGHT, state.SUPERSEDED)
    period = _period(alice)

    found = keeping_by_month(workspace=alice.workspace, since=period.since, zone=period.zone)

    assert set(found) == {APRIL, MAY}
    assert (found[APRIL].kept, found[APRIL].broken, found[APRIL].rate) == (0, 1, 0)
    may = found[MAY]
    assert (may.kept, may.broken, may.neutral) == (2, 2, 2)
    assert may.rate == 0.5


def test_revenue_by_month_keeps_currencies_apart(alice: Persona, acme: Client) -> None:
    first = invoice(acme, date(2026, 5, 3), "100.00")
    invoice(acme, date(2026, 5, 31), "50.50")
    invoice(acme, date(2026, 6, 1), "7.00")
    invoice(acme, None, "999.00", status=Invoice.Status.DRAFT)
    invoice(acme, date(2026, 5, 4), "888.00", status=Invoice.Status.VOID)
    invoice(acme, date(2025, 6, 30), "5.00")  # before the period
    lei = invoice(acme, date(2026, 5, 9), "200.00", currency="RON", status=Invoice.Status.PAID)
    payment(first, date(2026, 6, 2), "60.00")
    payment(lei, date(2026, 5, 9), "200.00")

    found = revenue_by_month(workspace=alice.workspace, since=_period(alice).first_day)

    assert found == {
        "EUR": {
            MAY: MonthRevenue(invoiced=Decimal("150.50"), paid=Decimal(0)),
            JUNE: MonthRevenue(invoiced=Decimal("7.00"), paid=Decimal("60.00")),
        },
        "RON": {MAY: MonthRevenue(invoiced=Decimal("200.00"), paid=Decimal("200.00"))},
    }


def test_new_clients_by_month_counts_each_client_once_at_its_first_start(
    alice: Persona, acme: Client, mallory: Persona
) -> None:
    def another(name: str) -> Client:
        return client_create(workspace=alice.workspace, actor=alice.user, name=name)

    project(acme, date(2026, 3, 10))
    project(acme, date(2026, 5, 1))
    project(another("Only proposed"), date(2026, 5, 2), status=Project.Status.PROPOSED)
    # No start date: the day it was created, in Athens (1 May, 01:00).
    project(another("Undated"), None, created=datetime(2026, 4, 30, 22, 0, tzinfo=UTC))
    project(another("Next month"), date(2026, 7, 1))
    old = another("Old friend")
    project(old, date(2025, 1, 1))
    project(old, date(2026, 5, 5))
    theirs = client_create(workspace=mallory.workspace, actor=mallory.user, name="Theirs")
    project(theirs, date(2026, 5, 5))

    period = _period(alice)
    found = {
        p.month: p.new
        for p in pillars_by_month(
            workspace_id=alice.workspace.pk, start=period.first_day, end=period.months[-1]
        )
        if p.new
    }

    assert found == {date(2026, 3, 1): 1, MAY: 1}


def test_every_section_has_every_month_even_an_empty_one(alice: Persona, acme: Client) -> None:
    project(acme, date(2026, 5, 10))
    resolved_commitment(acme, FIRST_MAY_NIGHT, Commitment.State.KEPT)
    with translation.override("en"):
        sections = report_sections(workspace=alice.workspace, period=_period(alice))
    assert [s.slug for s in sections] == [
        "responses",
        "promises",
        "revenue",
        "clients",
        "satisfaction",
        "health",
    ]
    # Every section is by month but the health one, which counts today's scores in bands.
    for section in sections[:-1]:
        for _chart_id, chart in section.charts:
            assert len(chart.labels) == 12
    assert len(sections[-1].charts[0][1].labels) == 10
    assert sections[0].charts[0][1].labels[0] == "Jul 2025"
    assert list(sections[0].charts[0][1].axis_labels or [])[:7] == [
        "Jul 2025",
        "Aug",
        "Sept",  # CLDR en_GB
        "Oct",
        "Nov",
        "Dec",
        "Jan 2026",
    ]
    clients = sections[3].charts[0][1]
    assert list(clients.series[0].values) == [0] * 10 + [1, 0]
    counts, rate = (chart for _id, chart in sections[1].charts)
    assert list(counts.series[0].values) == [0] * 10 + [1, 0]
    # A month without an ended commitment has no rate: a gap, not 0 %.
    assert list(rate.series[0].values) == [None] * 10 + [100.0, None]
    # No invoice: one chart in the workspace's currency saying so.
    ((chart_id, revenue),) = sections[2].charts
    assert chart_id == "revenue" and all(v is None for v in revenue.series[0].values)


# The page's heading, a section heading and May's name in each language.
PAGE_WORDS = {
    "en": ("Reports", "Promise keeping", "May 2026"),
    "el": ("Αναφορές", "Τήρηση υποσχέσεων", "Μάι 2026"),
    "ro": ("Rapoarte", "Respectarea promisiunilor", "mai 2026"),
    "id": ("Laporan", "Menepati janji", "Mei 2026"),
}


@pytest.mark.parametrize("language", sorted(PAGE_WORDS))
def test_the_page_reads_in_the_language(
    language: str, alice: Persona, acme: Client, alice_http: HttpClient
) -> None:
    alice.user.language = language
    alice.user.save(update_fields=["language"])
    invoice(acme, date(2026, 5, 3), "1234.50")
    invoice(acme, date(2026, 5, 3), "99.00", currency="RON")
    resolved_commitment(acme, FIRST_MAY_NIGHT, Commitment.State.KEPT)

    response = alice_http.get(reverse("care:reports"))

    assert response.status_code == 200
    body = response.content.decode()
    for words in PAGE_WORDS[language]:
        assert words in body
    # One chart per currency, each with its table; EUR (the workspace's) first.
    assert body.index('id="revenue-eur"') < body.index('id="revenue-ron"')
    assert body.count("<table") == 10
    assert "<script" not in body.split("<main", 1)[-1]


def test_the_period_is_chosen_in_the_address(alice_http: HttpClient) -> None:
    url = reverse("care:reports")
    assert alice_http.get(url + "?months=3").context["length"] == 3
    assert alice_http.get(url + "?months=24").context["length"] == 24
    for odd in ("?months=5", "?months=x", "?months=", ""):
        assert alice_http.get(url + odd).context["length"] == 12


def test_another_workspace_sees_none_of_alices_figures(
    acme: Client, mallory_http: HttpClient
) -> None:
    invoice(acme, date(2026, 5, 3), "4321.50", currency="RON")
    resolved_commitment(acme, FIRST_MAY_NIGHT, Commitment.State.KEPT)

    body = mallory_http.get(reverse("care:reports")).content.decode()

    assert 'id="revenue-ron"' not in body and "4,321.50" not in body
    # Her own workspace has no ended commitment: no rate in any month.
    assert "100%" not in body


def test_satisfaction_and_health_sections_read_the_surveys_and_the_scores(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    """A promoter's answer in June makes June's NPS 100; acme's score sits in its band."""
    from rapport.care.health.services import workspace_health_recompute
    from rapport.care.surveys.services import survey_answer, survey_send
    from rapport.projects.services import project_update

    project_update(project=website, actor=alice.user, status=Project.Status.DELIVERED)
    survey = survey_send(project=website, actor=alice.user)
    survey_answer(survey=survey, contact=carol, csat=5, nps=9, source="portal")
    workspace_health_recompute(workspace_id=alice.workspace.pk)
    with translation.override("en"):
        sections = {
            s.slug: s for s in report_sections(workspace=alice.workspace, period=_period(alice))
        }
    nps = dict(sections["satisfaction"].charts)["satisfaction-nps"]
    assert list(nps.series[0].values)[-1] == 100
    assert all(v is None for v in list(nps.series[0].values)[:-1])
    (health,) = (chart for _id, chart in sections["health"].charts)
    assert sum(v or 0 for v in health.series[0].values) == 1  # acme, active, scored once
