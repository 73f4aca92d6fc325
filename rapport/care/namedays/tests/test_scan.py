"""The morning scan (P31, ADR 0036): due rows only, one alert per date and year, the moment
moved to the next year's day, and a cost that does not grow with the dates stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.care.namedays.scan import scan_important_dates
from rapport.clients.models import Client, Contact, ImportantDate
from rapport.clients.services import contact_create, important_date_add
from rapport.conftest import Persona
from rapport.core.periodic import JOBS
from rapport.notifications.alerts import alert_action_url, alert_text
from rapport.notifications.models import Alert

NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def make(acme: Client, alice: Persona, name: str, **fields: str) -> Contact:
    email = f"s{Contact.objects.count()}@acme.example"
    with time_machine.travel(NOW, tick=False):
        return contact_create(client=acme, actor=alice.user, name=name, email=email, **fields)


def greet(at: datetime) -> int:
    with time_machine.travel(at, tick=False):
        return scan_important_dates(at)


def test_the_scan_is_registered_with_the_tick() -> None:
    assert scan_important_dates in JOBS


def test_a_birthday_raises_one_alert_on_the_morning_and_moves_a_year(
    acme: Client, alice: Persona
) -> None:
    acme.account_owner = alice.user
    acme.save(update_fields=["account_owner"])
    dewi = make(acme, alice, "Dewi Lestari", language="id", timezone="Asia/Jakarta")
    with time_machine.travel(NOW, tick=False):
        item = important_date_add(contact=dewi, kind="birthday", month=12, day=20, year=1990)
    morning = datetime(2026, 12, 20, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta
    assert greet(morning - timedelta(minutes=1)) == 0
    assert not Alert.objects.filter(kind="important_date").exists()
    assert greet(morning) == 1
    alert = Alert.objects.get(kind="important_date")
    assert alert.dedupe_key == f"important_date:{item.pk}:2026"
    assert (alert.client_id, alert.assignee_id) == (acme.pk, alice.user.pk)
    assert alert_text(alert) == "Dewi Lestari: birthday today, a message is ready to send"
    assert alert_action_url(alert) == f"/care/greetings/{alert.pk}/"
    item.refresh_from_db()
    assert item.next_at == datetime(2027, 12, 20, 1, 0, tzinfo=UTC)
    # Nothing is due any more: a second run reads nothing and raises nothing.
    assert greet(morning + timedelta(minutes=1)) == 0
    assert Alert.objects.filter(kind="important_date").count() == 1


def test_a_repeat_of_the_same_morning_raises_nothing_new(acme: Client, alice: Persona) -> None:
    nikos = make(acme, alice, "Νίκος Α.", language="el")  # St Nicholas: today
    assert greet(NOW) == 1
    (row,) = nikos.important_dates.all()
    # Recomputing the moments (an edit) on the same day puts this morning back: the scan
    # reads the row again, but the alert of 2026 exists already.
    ImportantDate.objects.filter(pk=row.pk).update(next_at=NOW - timedelta(hours=12))
    assert greet(NOW) == 1
    assert Alert.objects.filter(kind="important_date").count() == 1


def test_a_feast_that_easter_moves_is_recomputed_for_the_next_year(
    acme: Client, alice: Persona
) -> None:
    giorgos = make(acme, alice, "Γιώργος Π.", language="el")
    (row,) = giorgos.important_dates.all()
    assert row.next_at == datetime(2027, 5, 3, 5, 0, tzinfo=UTC)  # Easter Monday 2027
    assert greet(row.next_at) == 1
    row.refresh_from_db()
    # 2028: Easter is on 16 April, so St George keeps 23 April.
    assert (row.month, row.day) == (4, 23)
    assert row.next_at == datetime(2028, 4, 23, 5, 0, tzinfo=UTC)
    alert = Alert.objects.get(kind="important_date")
    assert alert_text(alert) == "Γιώργος Π.: name day today, a message is ready to send"


def test_a_company_anniversary_counts_its_years(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Carla Rossi", language="en")
    with time_machine.travel(NOW, tick=False):
        important_date_add(contact=contact, kind="company_anniversary", month=1, day=15, year=2016)
    assert greet(datetime(2027, 1, 15, 6, 0, tzinfo=UTC)) == 1
    alert = Alert.objects.get(kind="important_date")
    assert alert.data["years"] == 11
    assert (
        alert_text(alert)
        == "Carla Rossi: 11 years of the company today, a message is ready to send"
    )


def test_29_february_is_greeted_on_28_february_then_on_29_in_a_leap_year(
    acme: Client, alice: Persona
) -> None:
    contact = make(acme, alice, "Leap Person", language="en")
    with time_machine.travel(NOW, tick=False):
        item = important_date_add(contact=contact, kind="birthday", month=2, day=29)
    for expected in (datetime(2027, 2, 28), datetime(2028, 2, 29), datetime(2029, 2, 28)):
        item.refresh_from_db()
        assert item.next_at == expected.replace(hour=6, tzinfo=UTC)
        assert greet(item.next_at) == 1
    assert Alert.objects.filter(kind="important_date").count() == 3


def _not_due(acme: Client, contact: Contact, count: int) -> None:
    """``count`` dates whose moment is a year away (rows the scan must not read)."""
    later = NOW + timedelta(days=300)
    ImportantDate.objects.bulk_create(
        ImportantDate(
            workspace_id=acme.workspace_id,
            contact=contact,
            kind="other",
            month=10,
            day=1,
            next_at=later,
        )
        for _ in range(count)
    )


def test_the_scan_costs_what_is_due_not_what_is_stored(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Many Dates", language="en")
    due = make(acme, alice, "Νίκος Β.", language="el")  # due this morning
    _not_due(acme, contact, 10)
    with CaptureQueriesContext(connection) as small:
        assert greet(NOW) == 1
    ImportantDate.objects.filter(contact=due).update(next_at=NOW - timedelta(hours=1))
    Alert.objects.all().delete()
    _not_due(acme, contact, 400)
    with CaptureQueriesContext(connection) as large:
        assert greet(NOW) == 1
    assert len(small) == len(large)
    # The read of the due rows goes through the partial index's column alone.
    read = next(q["sql"] for q in large.captured_queries if "next_at" in q["sql"])
    assert '"next_at" <=' in read and "IS NOT NULL" in read
