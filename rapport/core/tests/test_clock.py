from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from rapport.core.clock import (
    BusinessHours,
    add_business_hours,
    end_of_day,
    next_contact_time,
    working_days_between,
)

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
BH = BusinessHours(
    tz="Europe/Athens", start=dt.time(9), end=dt.time(17), weekdays=frozenset(range(5))
)


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=ATHENS)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 11, 23, 10), 4, at(2026, 11, 23, 14)),  # Monday, inside hours
        (at(2026, 11, 23, 15), 4, at(2026, 11, 24, 11)),  # spills into Tuesday
        (at(2026, 11, 27, 16), 4, at(2026, 11, 30, 12)),  # Friday afternoon -> Monday
        (at(2026, 11, 28, 12), 2, at(2026, 11, 30, 11)),  # Saturday -> Monday 9 + 2
        (at(2026, 11, 23, 7), 1, at(2026, 11, 23, 10)),  # before opening
        (at(2026, 11, 23, 20), 8, at(2026, 11, 24, 17)),  # after closing: a full next day
    ],
)
def test_add_business_hours(start: dt.datetime, hours: int, expected: dt.datetime) -> None:
    assert add_business_hours(start, hours, BH) == expected.astimezone(dt.UTC)


def test_next_contact_time_inside_and_outside() -> None:
    tz = "Europe/Athens"
    inside = at(2026, 11, 23, 12)
    assert next_contact_time(inside, tz, dt.time(9), dt.time(18)) == inside.astimezone(dt.UTC)
    late = at(2026, 11, 23, 23)
    assert next_contact_time(late, tz, dt.time(9), dt.time(18)) == at(2026, 11, 24, 9).astimezone(
        dt.UTC
    )
    early = at(2026, 11, 23, 6)
    assert next_contact_time(early, tz, dt.time(9), dt.time(18)) == at(2026, 11, 23, 9).astimezone(
        dt.UTC
    )


def test_default_hours_forbid_23h() -> None:
    late = at(2026, 11, 23, 23)
    assert next_contact_time(late, "Europe/Athens", None, None) == at(2026, 11, 24, 8).astimezone(
        dt.UTC
    )


def test_window_across_midnight() -> None:
    tz = "Europe/Athens"
    assert next_contact_time(at(2026, 11, 23, 23), tz, dt.time(22), dt.time(6)) == at(
        2026, 11, 23, 23
    ).astimezone(dt.UTC)
    assert next_contact_time(at(2026, 11, 23, 12), tz, dt.time(22), dt.time(6)) == at(
        2026, 11, 23, 22
    ).astimezone(dt.UTC)


def test_working_days_between() -> None:
    monday = dt.date(2026, 11, 23)
    assert working_days_between(monday, monday + dt.timedelta(days=7), frozenset(range(5))) == 5
    assert working_days_between(monday, monday, frozenset(range(5))) == 0
    assert working_days_between(monday, monday + dt.timedelta(days=4), frozenset(range(5))) == 4


def test_end_of_day() -> None:
    assert end_of_day(dt.date(2026, 11, 23), "Europe/Athens") == at(
        2026, 11, 23, 23, 59, 59
    ).astimezone(dt.UTC)


def test_a_window_from_a_time_to_the_same_time_is_the_whole_day() -> None:
    tz = "Europe/Athens"
    for hour in (0, 7, 13, 23):
        now = at(2026, 11, 23, hour)
        assert next_contact_time(now, tz, dt.time(0), dt.time(0)) == now.astimezone(dt.UTC)
