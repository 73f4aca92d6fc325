"""The name-day calendars against a published Orthodox calendar, 2026-2030 (P31).

The expected days are written out by hand from the Greek Church's and the Romanian
Patriarchate's calendars for those years (Orthodox Easter: 12 April 2026, 2 May 2027,
16 April 2028, 8 April 2029, 28 April 2030), not computed by the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.care.namedays.calendar import calendar, feast_for, first_name, fold

Days = tuple[date, date, date, date, date]


def every_year(month: int, day: int) -> Days:
    """A fixed feast: the same day in each year of the table."""
    return (
        date(2026, month, day),
        date(2027, month, day),
        date(2028, month, day),
        date(2029, month, day),
        date(2030, month, day),
    )


# name, language -> the day of its feast in 2026, 2027, 2028, 2029, 2030.
TABLE: list[tuple[str, str, Days]] = [
    # Easter itself.
    (
        "Αναστάσιος",
        "el",
        (
            date(2026, 4, 12),
            date(2027, 5, 2),
            date(2028, 4, 16),
            date(2029, 4, 8),
            date(2030, 4, 28),
        ),
    ),
    # Lazarus Saturday, the day before Palm Sunday.
    (
        "Λάζαρος",
        "el",
        (
            date(2026, 4, 4),
            date(2027, 4, 24),
            date(2028, 4, 8),
            date(2029, 3, 31),
            date(2030, 4, 20),
        ),
    ),
    # Palm Sunday: Vaios and Vaia in Greece, Florii in Romania.
    (
        "Βάια",
        "el",
        (
            date(2026, 4, 5),
            date(2027, 4, 25),
            date(2028, 4, 9),
            date(2029, 4, 1),
            date(2030, 4, 21),
        ),
    ),
    (
        "Florin",
        "ro",
        (
            date(2026, 4, 5),
            date(2027, 4, 25),
            date(2028, 4, 9),
            date(2029, 4, 1),
            date(2030, 4, 21),
        ),
    ),
    (
        "Viorica",
        "ro",
        (
            date(2026, 4, 5),
            date(2027, 4, 25),
            date(2028, 4, 9),
            date(2029, 4, 1),
            date(2030, 4, 21),
        ),
    ),
    # Easter Tuesday (Raphael, Nicholas and Irene of Lesvos).
    (
        "Ραφαήλ",
        "el",
        (
            date(2026, 4, 14),
            date(2027, 5, 4),
            date(2028, 4, 18),
            date(2029, 4, 10),
            date(2030, 4, 30),
        ),
    ),
    # Life-giving Spring, the Friday after Easter.
    (
        "Ζωή",
        "el",
        (
            date(2026, 4, 17),
            date(2027, 5, 7),
            date(2028, 4, 21),
            date(2029, 4, 13),
            date(2030, 5, 3),
        ),
    ),
    # Thomas Sunday, a week after Easter.
    (
        "Θωμάς",
        "el",
        (
            date(2026, 4, 19),
            date(2027, 5, 9),
            date(2028, 4, 23),
            date(2029, 4, 15),
            date(2030, 5, 5),
        ),
    ),
    # Pentecost.
    (
        "Τριαντάφυλλος",
        "el",
        (
            date(2026, 5, 31),
            date(2027, 6, 20),
            date(2028, 6, 4),
            date(2029, 5, 27),
            date(2030, 6, 16),
        ),
    ),
    # St George: 23 April, or Easter Monday when 23 April falls on or before Easter.
    (
        "Γιώργος",
        "el",
        (
            date(2026, 4, 23),
            date(2027, 5, 3),
            date(2028, 4, 23),
            date(2029, 4, 23),
            date(2030, 4, 29),
        ),
    ),
    (
        "Gheorghe",
        "ro",
        (
            date(2026, 4, 23),
            date(2027, 5, 3),
            date(2028, 4, 23),
            date(2029, 4, 23),
            date(2030, 4, 29),
        ),
    ),
    # Fixed feasts.
    ("Ιωάννα", "el", every_year(1, 7)),
    ("Ioana", "ro", every_year(1, 7)),
    ("Κωνσταντίνος", "el", every_year(5, 21)),
    ("Elena", "ro", every_year(5, 21)),
    ("Μαρία", "el", every_year(8, 15)),
    ("Maria", "ro", every_year(8, 15)),
    ("Δημήτριος", "el", every_year(10, 26)),
    ("Dumitru", "ro", every_year(10, 26)),
    ("Μιχάλης", "el", every_year(11, 8)),
    ("Mihai", "ro", every_year(11, 8)),
    ("Andrei", "ro", every_year(11, 30)),
    ("Νίκος", "el", every_year(12, 6)),
    ("Nicolae", "ro", every_year(12, 6)),
    ("Ștefan", "ro", every_year(12, 27)),
]


@pytest.mark.parametrize(("name", "language", "days"), TABLE, ids=[t[0] for t in TABLE])
def test_the_feast_falls_on_the_published_day(
    name: str, language: str, days: tuple[date, ...]
) -> None:
    feast = feast_for(name, language)
    assert feast is not None
    assert tuple(feast.on(year) for year in range(2026, 2031)) == days


@pytest.mark.parametrize(
    ("variant", "language", "canonical"),
    [
        ("Γεώργιος", "el", "Γιώργος"),
        ("ΓΙΩΡΓΟΣ", "el", "Γιώργος"),
        ("Γιωργος", "el", "Γιώργος"),
        ("Yorgos", "el", "Γιώργος"),
        ("Giorgos Papadopoulos", "el", "Γιώργος"),
        ("Νικόλαος", "el", "Νίκος"),
        ("ΝΙΚΟΣ", "el", "Νίκος"),
        ("Nikolaos", "el", "Νίκος"),
        ("Γιάννης", "el", "Ιωάννα"),
        ("Ion", "ro", "Ioana"),
        ("Ioan", "ro", "Ioana"),
        ("Stefan", "ro", "Ștefan"),
        ("Ştefan", "ro", "Ștefan"),  # the old cedilla
        ("ION POPESCU", "ro", "Ioana"),
        ("Ana-Maria", "ro", "Ana"),
    ],
)
def test_variants_keep_one_feast(variant: str, language: str, canonical: str) -> None:
    found = feast_for(variant, language)
    assert found is not None
    assert found == feast_for(canonical, language)


def test_the_final_sigma_and_accents_fold_away() -> None:
    assert fold("ΝΙΚΟΣ") == fold("Νίκος") == "νικοσ"
    assert fold("Ștefan") == fold("STEFAN") == "stefan"


def test_names_outside_a_calendar_have_no_feast() -> None:
    assert feast_for("Carol Georgiou", "el") is None
    assert feast_for("Γιώργος", "en") is None  # an English contact keeps no Greek name day
    assert feast_for("Georgios", "id") is None
    assert feast_for("", "el") is None


def test_each_calendar_covers_the_common_names() -> None:
    assert len(calendar("el")) >= 80
    assert len(calendar("ro")) >= 80


@given(st.text(max_size=40))
def test_any_name_folds_and_looks_up_without_error(name: str) -> None:
    first_name(name)
    feast_for(name, "el")
    feast_for(name, "ro")


ZONES = ("Europe/Athens", "Europe/Bucharest", "Asia/Jakarta", "America/New_York", "UTC")


@given(
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2090, 12, 31)),
    zone=st.sampled_from(ZONES),
)
def test_the_next_day_is_never_past_and_greeted_at_eight_local(
    month: int, day: int, today: date, zone: str
) -> None:
    """Whatever the date and the zone: the next day is today or later, within a year (a day
    that a month lacks falls back, 29 February to 28), and its moment is 08:00 there."""
    from zoneinfo import ZoneInfo

    from rapport.care.namedays.moments import MORNING, morning, next_day
    from rapport.clients.models import ImportantDate

    item = ImportantDate(kind="birthday", month=month, day=day)
    found = next_day(item, today)
    if month == 2 and day == 29:
        assert found is not None and found.day in (28, 29)
    if found is None:
        # Only a day that its month never has (31 April, 30 February…).
        assert day > 29
        return
    assert today <= found and (found - today).days <= 366
    local = morning(found, ZoneInfo(zone)).astimezone(ZoneInfo(zone))
    assert (local.date(), local.time()) == (found, MORNING)
