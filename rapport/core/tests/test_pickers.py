"""Time zones and currencies are chosen from lists: current names only, the same everywhere."""

from __future__ import annotations

import zoneinfo
from datetime import date

import pytest
from django.utils import translation

from rapport.core.currencies import COMMON_CURRENCIES, currencies_in_use, currency_choices
from rapport.core.errors import ApplicationError
from rapport.core.pickers import CurrencyField, TimezoneField
from rapport.core.validation import check_timezone
from rapport.core.zones import COMMON_ZONES, canonical_zones, zone_choices

DEPRECATED = [
    "Africa/Asmera",
    "Africa/Timbuktu",
    "Asia/Calcutta",
    "Europe/Kiev",
    "US/Eastern",
    "US/Pacific",
    "Etc/GMT+3",
    "Etc/UTC",
    "GMT",
    "America/Buenos_Aires",
]
CURRENT = [
    "Europe/Athens",
    "Europe/Bucharest",
    "Asia/Jakarta",
    "Asia/Kolkata",
    "Africa/Asmara",
    "Europe/Kyiv",
    "Europe/Oslo",
    "America/Argentina/Buenos_Aires",
    "UTC",
]


@pytest.mark.parametrize("name", DEPRECATED)
def test_deprecated_zone_names_are_refused_with_a_message(name: str) -> None:
    assert name in zoneinfo.available_timezones() or name == "GMT"
    with pytest.raises(ApplicationError) as exc:
        check_timezone(name)
    assert exc.value.field == "timezone"
    assert name in exc.value.message and "current time zone" in exc.value.message


@pytest.mark.parametrize("name", CURRENT)
def test_current_zone_names_are_accepted(name: str) -> None:
    check_timezone(name)


def test_the_list_comes_from_the_shipped_tables_not_the_machine() -> None:
    zones = canonical_zones()
    # zone.tab and zone1970.tab of the shipped tz data, and UTC: about 420 of the ~600 names.
    assert 380 <= len(zones) <= 460
    assert not any(z.startswith(("Etc/", "US/", "SystemV/")) for z in zones)
    # Each one is a zone the machine can use.
    for name in zones:
        zoneinfo.ZoneInfo(name)


def test_common_zones_come_first_and_every_zone_is_listed() -> None:
    [(_, common), (_, everything)] = zone_choices()
    assert [value for value, _ in common] == list(COMMON_ZONES)
    assert {value for value, _ in everything} == canonical_zones()
    assert set(COMMON_ZONES) <= canonical_zones()
    assert (
        dict(everything)["America/Argentina/Buenos_Aires"] == "America / Argentina / Buenos Aires"
    )


def test_timezone_field_refuses_an_old_name_and_offers_a_blank_when_asked() -> None:
    field = TimezoneField(blank_label="Same as the client")
    assert field.clean("") == ""
    assert field.clean("Asia/Jakarta") == "Asia/Jakarta"
    with pytest.raises(Exception, match="valid choice"):
        field.clean("Asia/Calcutta")
    with pytest.raises(Exception, match="required"):
        TimezoneField().clean("")


def test_currencies_in_use_leave_withdrawn_ones_out() -> None:
    codes = currencies_in_use(date(2026, 12, 6))
    assert {"EUR", "RON", "IDR", "USD"} <= set(codes)
    assert not {"GRD", "ROL", "DEM"} & set(codes)
    assert set(COMMON_CURRENCIES) <= set(codes)


def test_currency_choices_are_named_in_the_viewers_language_and_keep_an_old_code() -> None:
    with translation.override("ro"):
        [(_, common), (_, everything)] = currency_choices()
    assert common[1] == ("RON", "RON — leu românesc")
    assert "GRD" not in dict(everything)
    assert "GRD" in dict(currency_choices("GRD")[1][1])
    field = CurrencyField()
    with pytest.raises(Exception, match="valid choice"):
        field.clean("GRD")
    field.keep("GRD")
    assert field.clean("GRD") == "GRD"
