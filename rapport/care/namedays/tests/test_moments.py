"""Which contacts keep a calendar name day, and when each date is greeted (P31, ADR 0036)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from rapport.clients.models import Client, Contact, ImportantDate
from rapport.clients.services import (
    client_update,
    contact_archive,
    contact_create,
    contact_update,
    important_date_add,
    important_date_remove,
)
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError

# A Sunday evening in Athens, in winter (UTC+2): 6 December 2026, 20:00 there.
NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def make(acme: Client, alice: Persona, name: str, **fields: str) -> Contact:
    """A contact of acme's (email is the preferred channel: each gets an address)."""
    email = f"c{Contact.objects.count()}@acme.example"
    with time_machine.travel(NOW, tick=False):
        return contact_create(client=acme, actor=alice.user, name=name, email=email, **fields)


def calendar_rows(contact: Contact) -> list[ImportantDate]:
    return list(contact.important_dates.filter(source=ImportantDate.Source.CALENDAR))


def test_a_greek_george_keeps_st_georges_day(acme: Client, alice: Persona) -> None:
    giorgos = make(acme, alice, "Γιώργος Παπαδάκης", language="el")
    (row,) = calendar_rows(giorgos)
    assert (row.kind, row.feast) == (ImportantDate.Kind.NAME_DAY, "el:george")
    # 2027: 23 April falls before Easter (2 May), so the feast is Easter Monday, 3 May;
    # 08:00 in Athens in summer time is 05:00 UTC.
    assert (row.month, row.day) == (5, 3)
    assert row.next_at == datetime(2027, 5, 3, 5, 0, tzinfo=UTC)


def test_a_name_day_today_is_still_greeted_today(acme: Client, alice: Persona) -> None:
    # 6 December is St Nicholas; at 20:00 in Athens the morning has passed, but the day has
    # not: the moment is this morning's, so the next tick raises the alert.
    nikos = make(acme, alice, "Νίκος Αντωνίου", language="el")
    (row,) = calendar_rows(nikos)
    assert row.next_at == datetime(2026, 12, 6, 6, 0, tzinfo=UTC)


def test_only_greek_and_romanian_speakers_get_a_calendar_name_day(
    acme: Client, alice: Persona
) -> None:
    english = make(acme, alice, "George Smith", language="en")
    assert calendar_rows(english) == []
    # The client's language (Greek for acme) counts when the contact has none.
    inherits = make(acme, alice, "Giorgos Smith")
    assert [r.feast for r in calendar_rows(inherits)] == ["el:george"]
    romanian = make(acme, alice, "Ion Popescu", language="ro")
    assert [r.feast for r in calendar_rows(romanian)] == ["ro:john"]


def test_the_contacts_own_name_day_wins(acme: Client, alice: Persona) -> None:
    maria = make(acme, alice, "Μαρία Κ.", language="el")
    assert [(r.month, r.day) for r in calendar_rows(maria)] == [(8, 15)]
    with time_machine.travel(NOW, tick=False):
        own = important_date_add(contact=maria, kind=ImportantDate.Kind.NAME_DAY, month=11, day=21)
    assert calendar_rows(maria) == []
    own.refresh_from_db()
    assert own.next_at == datetime(2027, 11, 21, 6, 0, tzinfo=UTC)
    with time_machine.travel(NOW, tick=False):
        important_date_remove(item=own)
    assert [(r.month, r.day) for r in calendar_rows(maria)] == [(8, 15)]


def test_a_calendar_name_day_cannot_be_removed(acme: Client, alice: Persona) -> None:
    ioana = make(acme, alice, "Ioana Popescu", language="ro")
    (row,) = calendar_rows(ioana)
    with pytest.raises(ApplicationError) as caught:
        important_date_remove(item=row)
    assert "source" in caught.value.errors


def test_renaming_or_a_new_language_rewrites_the_name_day(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Ελένη Δ.", language="el")
    assert [r.feast for r in calendar_rows(contact)] == ["el:constantine"]
    with time_machine.travel(NOW, tick=False):
        contact_update(contact=contact, actor=alice.user, name="Σοφία Δ.")
    assert [r.feast for r in calendar_rows(contact)] == ["el:sophia"]
    with time_machine.travel(NOW, tick=False):
        contact_update(contact=contact, actor=alice.user, language="en")
    assert calendar_rows(contact) == []


def test_the_clients_language_moves_contacts_that_inherit_it(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Andreas K.")
    assert [r.feast for r in calendar_rows(contact)] == ["el:andrew"]
    with time_machine.travel(NOW, tick=False):
        client_update(client=acme, actor=alice.user, language="ro")
    # "Andreas" is not in the Romanian calendar ("Andrei" is).
    assert calendar_rows(contact) == []


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # 08:00 in Jakarta (UTC+7) is 01:00 UTC: the contact's own calendar day.
        ("Asia/Jakarta", datetime(2027, 3, 10, 1, 0, tzinfo=UTC)),
        # New York is still on standard time on 10 March 2027 (UTC-5; summer time starts on
        # the 14th): 13:00 UTC.
        ("America/New_York", datetime(2027, 3, 10, 13, 0, tzinfo=UTC)),
        ("Europe/Athens", datetime(2027, 3, 10, 6, 0, tzinfo=UTC)),
    ],
)
def test_a_birthday_is_greeted_on_the_contacts_own_morning(
    acme: Client, alice: Persona, zone: str, expected: datetime
) -> None:
    contact = make(acme, alice, "Dewi Lestari", language="id", timezone=zone)
    with time_machine.travel(NOW, tick=False):
        item = important_date_add(contact=contact, kind="birthday", month=3, day=10, year=1990)
    item.refresh_from_db()
    assert item.next_at == expected


def test_a_time_zone_change_moves_the_moment(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Dewi Lestari", language="id", timezone="Asia/Jakarta")
    with time_machine.travel(NOW, tick=False):
        item = important_date_add(contact=contact, kind="birthday", month=3, day=10)
        contact_update(contact=contact, actor=alice.user, timezone="America/New_York")
    item.refresh_from_db()
    assert item.next_at == datetime(2027, 3, 10, 13, 0, tzinfo=UTC)


def test_29_february_falls_on_28_february_in_a_common_year(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Leap Person", language="en")
    with time_machine.travel(NOW, tick=False):
        item = important_date_add(contact=contact, kind="birthday", month=2, day=29, year=1996)
    item.refresh_from_db()
    assert item.next_at == datetime(2027, 2, 28, 6, 0, tzinfo=UTC)


def test_an_archived_contact_is_not_greeted(acme: Client, alice: Persona) -> None:
    contact = make(acme, alice, "Νίκος Α.", language="el")
    with time_machine.travel(NOW, tick=False):
        contact_archive(contact=contact, actor=alice.user)
    assert [r.next_at for r in calendar_rows(contact)] == [None]


def test_the_refresh_command_gives_older_dates_their_moment(acme: Client, alice: Persona) -> None:
    from io import StringIO

    from django.core.management import call_command

    contact = make(acme, alice, "Μαρία Κ.", language="el")
    # A date stored before moments existed, and no calendar row yet.
    ImportantDate.objects.filter(contact=contact).delete()
    old = ImportantDate.objects.create(
        workspace_id=acme.workspace_id, contact=contact, kind="birthday", month=3, day=10
    )
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("important_dates_refresh", stdout=out)
    old.refresh_from_db()
    assert old.next_at == datetime(2027, 3, 10, 6, 0, tzinfo=UTC)
    assert [(r.month, r.day) for r in calendar_rows(contact)] == [(8, 15)]
    assert "contacts refreshed" in out.getvalue()
