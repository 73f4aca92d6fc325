"""The health card and the at-risk list as pages (P37, P34): what they say, in the reader's
language, and only within the workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.health.scanner import scan_health_changes, scan_health_due
from rapport.care.models import ClientHealth, HealthPoint
from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.conftest import Persona

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def settle() -> None:
    now = dt.datetime.now(dt.UTC)
    scan_health_changes(now)
    while scan_health_due(now):
        pass


def at_risk(client: Client, score: int, stake: int, step: dict[str, object]) -> None:
    ClientHealth.objects.filter(client=client).update(
        score=score, band="at_risk", stake=stake, step=step, health_due_at=None
    )


def test_the_card_explains_the_score_with_its_parts_and_trend(
    clock: time_machine.Traveller, alice_http: HttpClient, acme: Client
) -> None:
    settle()
    HealthPoint.objects.create(
        workspace_id=acme.workspace_id, client=acme, day=T0.date() - dt.timedelta(days=1), score=80
    )
    html = alice_http.get(reverse("care:client_health", args=[acme.pk]), headers=HTMX).text
    assert "Relationship health" in html and "Healthy" in html
    assert "No pulse answer yet: neutral." in html
    assert "+30 of 30" in html
    assert 'id="health-trend"' in html


def test_the_card_reads_in_the_providers_language(
    clock: time_machine.Traveller, alice_http: HttpClient, acme: Client
) -> None:
    settle()
    alice_http.post(reverse("language"), {"language": "el"})
    html = alice_http.get(reverse("care:client_health", args=[acme.pk]), headers=HTMX).text
    assert "Υγεία της σχέσης" in html and "Υγιής" in html


def test_the_list_orders_by_stake_with_each_step(
    clock: time_machine.Traveller, alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    beta = client_create(
        workspace=alice.workspace, actor=alice.user, name="Beta", status=Client.Status.ACTIVE
    )
    settle()
    at_risk(acme, 40, 100, {"key": "mood"})
    at_risk(beta, 20, 900, {"key": "response"})
    html = alice_http.get(reverse("care:at_risk")).text
    assert html.index("Beta") < html.index("Acme Ltd")
    assert "Answer the open request" in html and "Call them and ask how it is going" in html


def test_the_list_and_the_card_stay_in_the_workspace(
    clock: time_machine.Traveller,
    mallory: Persona,
    mallory_http: HttpClient,
    acme: Client,
) -> None:
    settle()
    at_risk(acme, 10, 100, {"key": "silence"})
    assert "Acme Ltd" not in mallory_http.get(reverse("care:at_risk")).text
    response = mallory_http.get(reverse("care:client_health", args=[acme.pk]), headers=HTMX)
    assert response.status_code == 404


def test_a_lead_has_no_score_and_the_card_says_so(
    clock: time_machine.Traveller, alice: Persona, alice_http: HttpClient
) -> None:
    lead = client_create(workspace=alice.workspace, actor=alice.user, name="Maybe")
    settle()
    html = alice_http.get(reverse("care:client_health", args=[lead.pk]), headers=HTMX).text
    assert "No score yet." in html
