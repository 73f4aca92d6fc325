"""Relationship health in the database (P37, P34; ADR 0038): each signal's change reaches the
client's timeline, the tick's change scan marks the client due and its due scan recomputes
it; time alone brings the scan back when silence grows or an invoice falls overdue; the scans
read only new events and due rows; the at-risk alert is raised once per entry into the band
and resolved on leaving it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from rapport.billing.models import Invoice
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.billing.services.payments import payment_record
from rapport.care.health import score as rules
from rapport.care.health.scanner import scan_health_changes, scan_health_due
from rapport.care.health.selectors import at_risk_list, health_distribution
from rapport.care.health.services import health_mark_due, workspace_health_recompute
from rapport.care.models import ClientHealth, HealthPoint, Problem
from rapport.care.pulse.services import pulse_answer
from rapport.care.tests.fixtures import report
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create
from rapport.commitments.models import Commitment
from rapport.commitments.scanners import scan_broken_commitments
from rapport.commitments.services import commitment_keep, commitment_open
from rapport.conftest import Persona
from rapport.conversations.services import request_receive, request_reply
from rapport.notifications.models import Alert
from rapport.projects.models import Project

# Monday 2 November 2026, 10:00 in Athens (08:00 UTC).
T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def settle() -> None:
    """Run the scans until nothing is due (as successive ticks would)."""
    scan_health_changes(now())
    while scan_health_due(now()):
        pass


def health(client: Client) -> ClientHealth:
    return ClientHealth.objects.get(client=client)


def is_due(client: Client) -> bool:
    """Whether the change scan marks ``client`` due now."""
    scan_health_changes(now())
    row = health(client)
    return row.health_due_at is not None and row.health_due_at <= now()


def part(client: Client, key: str) -> dict:  # type: ignore[type-arg]
    return next(p for p in health(client).parts if p["key"] == key)


def issue(alice: Persona, acme: Client, carol: Contact, amount: str = "400") -> Invoice:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="milestone",
        currency="EUR",
        language="el",
    )
    invoice_line_add(invoice=invoice, description="Design", quantity="1", unit_price=amount)
    return invoice_issue(invoice=invoice, actor=alice.user)


def test_a_new_active_client_is_scored_healthy_at_the_next_tick(
    clock: time_machine.Traveller, acme: Client
) -> None:
    assert is_due(acme)
    settle()
    row = health(acme)
    assert row.score == 100 and row.band == rules.HEALTHY
    assert not is_due(acme) and row.health_due_at is not None
    assert HealthPoint.objects.get(client=acme).score == 100


def test_a_lead_is_not_scored(clock: time_machine.Traveller, alice: Persona) -> None:
    lead = client_create(workspace=alice.workspace, actor=alice.user, name="Maybe Ltd")
    settle()
    row = health(lead)
    assert row.score is None and row.health_due_at is None


def test_a_broken_promise_lowers_it_and_a_kept_one_raises_it(
    clock: time_machine.Traveller, alice: Persona, acme: Client, website: Project
) -> None:
    settle()
    broken, _ = commitment_open(
        client=acme, kind=Commitment.Kind.PROMISE, wording="Send the logo", due_at=now() + DAY
    )
    kept, _ = commitment_open(
        client=acme, kind=Commitment.Kind.PROMISE, wording="Send the fonts", due_at=now() + DAY
    )
    settle()
    clock.shift(2 * DAY)
    commitment_keep(commitment=kept, actor=alice.user)
    assert is_due(acme)
    settle()
    assert health(acme).score == 100
    scan_broken_commitments(now())
    assert Commitment.objects.get(pk=broken.pk).state == Commitment.State.BROKEN
    assert is_due(acme)
    settle()
    assert part(acme, "keeping")["points"] == rules.KEEPING_WEIGHT // 2
    assert health(acme).score == 100 - rules.KEEPING_WEIGHT // 2


def test_a_request_answered_late_lowers_it(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    settle()
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="Logo", body="Where is it?"
    )
    assert is_due(acme)
    settle()
    # Within its target: neither on time nor late yet; the next moment is its target.
    assert part(acme, "response")["neutral"]
    assert health(acme).health_due_at == request.eta
    clock.move_to(request.eta + dt.timedelta(minutes=1))
    settle()
    assert part(acme, "response")["points"] == 0
    request_reply(request=request, actor=alice.user, message="Tomorrow morning.")
    assert is_due(acme)
    settle()
    assert part(acme, "response")["args"] == {"on_time": 0, "total": 1}


def test_an_invoice_falling_overdue_lowers_it_and_paying_it_raises_it(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    invoice = issue(alice, acme, carol)
    settle()
    assert part(acme, "invoices")["points"] == 0
    assert invoice.due_date is not None
    overdue_at = rules.start_of_day_after(invoice.due_date, dt.UTC)
    due_at = health(acme).health_due_at
    assert due_at is not None and due_at <= overdue_at
    clock.move_to(overdue_at)
    settle()
    assert part(acme, "invoices")["points"] == -rules.INVOICE_PENALTY
    assert health(acme).step["key"] in {"invoices", "silence"}
    payment_record(invoice=invoice, actor=alice.user, amount="400", received_on=now().date())
    assert is_due(acme)
    settle()
    assert part(acme, "invoices")["points"] == 0


def test_a_pulse_answer_changes_it(
    clock: time_machine.Traveller, acme: Client, carol: Contact
) -> None:
    settle()
    pulse_answer(contact=carol, score=1, source="portal")
    assert is_due(acme)
    settle()
    low = health(acme).score
    clock.shift(DAY)
    pulse_answer(contact=carol, score=5, source="portal")
    settle()
    high = health(acme).score
    assert high is not None and low is not None and high > low


def test_a_problem_opened_lowers_it_and_resolved_raises_it(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    settle()
    before = health(acme).score
    problem = report(project=website, alice=alice, contacts=[carol])
    assert is_due(acme)
    settle()
    assert part(acme, "problems")["points"] == -rules.PROBLEM_PENALTY
    assert health(acme).step == {"key": "problems", "id": problem.pk}
    Problem.objects.filter(pk=problem.pk).update(state=Problem.State.RESOLVED)
    health_mark_due(clients=[(acme.workspace_id, acme.pk)])
    settle()
    assert health(acme).score == before


def test_silence_grows_by_time_alone_and_the_scan_comes_back_when_it_crosses_a_step(
    clock: time_machine.Traveller, acme: Client, carol: Contact
) -> None:
    pulse_answer(contact=carol, score=5, source="portal")
    settle()
    assert health(acme).score == 100
    first_step = rules.SILENCE_STEPS[0][0]
    # The windows slide: a week later the scan comes back once, whatever happened.
    assert health(acme).health_due_at == now() + rules.REFRESH
    clock.shift(rules.REFRESH)
    assert scan_health_due(now()) == 1
    assert health(acme).score == 100
    assert health(acme).health_due_at == T0 + first_step * DAY
    clock.move_to(T0 + first_step * DAY - dt.timedelta(seconds=1))
    assert scan_health_due(now()) == 0
    clock.shift(dt.timedelta(seconds=1))
    assert scan_health_due(now()) == 1
    assert part(acme, "silence")["points"] == -rules.SILENCE_STEPS[0][1]


def test_the_scan_reads_only_due_rows_in_a_fixed_number_of_queries(
    clock: time_machine.Traveller, alice: Persona
) -> None:
    def make(n: int, start: int) -> list[Client]:
        return [
            client_create(
                workspace=alice.workspace,
                actor=alice.user,
                name=f"Client {start + i}",
                status=Client.Status.ACTIVE,
            )
            for i in range(n)
        ]

    def count_queries() -> int:
        scan_health_changes(now())
        with CaptureQueriesContext(connection) as ctx:
            assert scan_health_due(now()) == 2
        return len(ctx)

    make(2, 0)
    small = count_queries()
    make(30, 10)
    settle()
    due = make(2, 100)
    scan_health_changes(now())
    assert {r.client_id for r in ClientHealth.objects.filter(health_due_at__lte=now())} == {
        c.pk for c in due
    }
    assert count_queries() == small
    # Idempotent: a second run finds nothing due.
    assert scan_health_due(now()) == 0


def test_the_change_scan_reads_only_new_events_in_a_fixed_number_of_queries(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    settle()
    assert scan_health_changes(now()) == 0

    def changes(n: int) -> int:
        for i in range(n):
            request_receive(client=acme, contact=carol, source="phone", subject=f"Q{i}", body="?")
        with CaptureQueriesContext(connection) as ctx:
            assert scan_health_changes(now()) > 0
        assert scan_health_changes(now()) == 0  # idempotent: the cursor moved on
        return len(ctx)

    assert changes(1) == changes(6)
    assert is_due(acme)


def test_entering_the_band_raises_one_alert_and_leaving_it_resolves_it(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact
) -> None:
    acme.account_owner = alice.user
    acme.save()
    invoices = [issue(alice, acme, carol, amount) for amount in ("100", "200", "300")]
    pulse_answer(contact=carol, score=2, source="portal")
    settle()
    assert invoices[0].due_date is not None
    clock.move_to(rules.start_of_day_after(invoices[0].due_date, dt.UTC))
    settle()
    assert health(acme).band == rules.AT_RISK
    alerts = Alert.objects.filter(kind=Alert.Kind.HEALTH_AT_RISK, client=acme)
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.assignee_id == alice.user.pk and alert.state == Alert.State.OPEN
    assert alert.data["client"] == "Acme Ltd" and alert.data["score"] == health(acme).score
    # Still at risk: recomputing raises nothing new.
    health_mark_due(clients=[(acme.workspace_id, acme.pk)])
    settle()
    assert alerts.count() == 1
    for invoice in invoices:
        payment_record(
            invoice=invoice, actor=alice.user, amount=invoice.total, received_on=now().date()
        )
    settle()
    assert health(acme).band != rules.AT_RISK
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE


def test_the_at_risk_list_is_ordered_by_stake_and_suggests_a_step(
    clock: time_machine.Traveller, alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    other = client_create(
        workspace=alice.workspace, actor=alice.user, name="Beta", status=Client.Status.ACTIVE
    )
    settle()
    # Both silent for two months; acme has a running project with a budget at stake.
    ClientHealth.objects.filter(client__in=[acme, other]).update(health_due_at=now())
    Project.objects.filter(pk=website.pk).update(budget=5000)
    pulse_answer(contact=carol, score=1, source="portal")
    settle()
    clock.shift(61 * DAY)
    ClientHealth.objects.update(health_due_at=now())
    settle()
    rows = list(at_risk_list(workspace_id=alice.workspace.pk))
    assert [r.client_id for r in rows] == [acme.pk]
    assert rows[0].stake == 5000
    assert rows[0].step["key"] in {"mood", "silence"}


def test_the_distribution_counts_active_clients_in_bands_of_ten(
    clock: time_machine.Traveller, alice: Persona, acme: Client, mallory: Persona
) -> None:
    client_create(workspace=mallory.workspace, actor=mallory.user, name="M", status="active")
    settle()
    counts = health_distribution(workspace_id=alice.workspace.pk)
    assert len(counts) == 10 and counts[9] == 1 and sum(counts) == 1
    with CaptureQueriesContext(connection) as ctx:
        health_distribution(workspace_id=alice.workspace.pk)
    assert len(ctx) == 1


def test_recomputing_a_workspace_scores_every_active_client(
    clock: time_machine.Traveller, alice: Persona, acme: Client
) -> None:
    ClientHealth.objects.all().delete()
    assert workspace_health_recompute(workspace_id=alice.workspace.pk) == 1
    assert health(acme).score == 100


def test_the_demo_clients_get_scores_and_a_trend(
    db: None, settings: Settings, tmp_path: Path
) -> None:
    settings.BASE_DIR = tmp_path
    (tmp_path / "var").mkdir()
    call_command("demo", stdout=StringIO())
    acme = Client.objects.get(name="Acme Ltd")
    assert health(acme).score is not None
    assert HealthPoint.objects.filter(client=acme).count() == 4
    # Past clients and leads are not scored.
    assert ClientHealth.objects.filter(score__isnull=False).count() == 1


def test_the_command_rescores_a_workspace(
    clock: time_machine.Traveller, alice: Persona, acme: Client
) -> None:
    ClientHealth.objects.all().delete()
    out = StringIO()
    call_command("health_recompute", workspace=alice.workspace.pk, stdout=out)
    assert out.getvalue().split() == [str(alice.workspace.pk), "1"]
    assert health(acme).score == 100


def test_the_last_survey_answer_is_the_survey_signal(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    """A detractor's answer (3 of 10) counts 3/10 of the survey's weight; a later promoter's
    answer replaces it (P34)."""
    from rapport.care.health.selectors import health_figures
    from rapport.care.surveys.services import survey_answer, survey_send
    from rapport.projects.services import project_update

    project_update(project=website, actor=alice.user, status=Project.Status.DELIVERED)
    survey = survey_send(project=website, actor=alice.user)
    assert (
        health_figures(client_ids=[acme.pk], now=dt.datetime.now(dt.UTC))[acme.pk].figures.survey
        is None
    )
    survey_answer(survey=survey, contact=carol, csat=2, nps=3, source="portal")
    figures = health_figures(client_ids=[acme.pk], now=dt.datetime.now(dt.UTC))[acme.pk].figures
    assert figures.survey == 3
    assert rules.survey_part(figures.survey).points == 5  # 15 x 3/10 = 4.5, rounded half up
    survey_answer(
        survey=survey,
        contact=carol,
        csat=5,
        nps=10,
        source="portal",
        now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5),
    )
    assert (
        health_figures(client_ids=[acme.pk], now=dt.datetime.now(dt.UTC))[acme.pk].figures.survey
        == 10
    )
