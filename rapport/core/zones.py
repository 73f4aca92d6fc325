"""The time zones a person may choose: current IANA names only, the common ones first.

``zoneinfo.available_timezones()`` lists every name the machine's tz database holds, about 600
of them, including the old spellings kept for compatibility (Asia/Calcutta, Africa/Asmera,
Africa/Timbuktu, US/Eastern, Etc/GMT+3). Those read as mistakes in a picker and differ from one
machine to the next. The list here is built from ``zone.tab`` and ``zone1970.tab`` of the tz
database, shipped in ``core/data`` (public domain), so every machine offers the same choices:
each current zone once, under its current name. ``zone.tab`` keeps one zone per country
(Europe/Oslo, Europe/Stockholm) that ``zone1970.tab`` folds into its neighbour's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"
TAB_FILES = ("zone.tab", "zone1970.tab")
# Not a place, but what servers, logs and many accounts already use: accepted and listed.
UTC = "UTC"
# Shown first: the zones of the four languages' countries and of most freelancers' clients.
COMMON_ZONES = (
    "Europe/Athens",
    "Europe/Bucharest",
    "Asia/Jakarta",
    "Asia/Makassar",
    "Asia/Jayapura",
    "Asia/Nicosia",
    "Europe/Chisinau",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
    UTC,
)


def _tab_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("\t")[2])
    return names


@cache
def canonical_zones() -> frozenset[str]:
    """Every zone a person may choose: the tz database's current names, and UTC."""
    names: set[str] = {UTC}
    for name in TAB_FILES:
        names |= _tab_names(DATA / name)
    return frozenset(names)


def zone_label(name: str) -> str:
    """``America/Argentina/Buenos_Aires`` as people read it: ``America / Argentina / Buenos
    Aires``. The IANA name stays visible: it is what other tools show."""
    return name.replace("_", " ").replace("/", " / ")


def zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a ``<select>``: a group of common zones, then every current zone sorted.

    A zone appears in both groups, so a person who scrolls the full list alphabetically still
    finds Europe/Athens where they expect it. A plain select searches by typing its first
    letters, without JavaScript.
    """
    everything = sorted(canonical_zones())
    return [
        (_("Common time zones"), [(z, zone_label(z)) for z in COMMON_ZONES]),
        (_("All time zones"), [(z, zone_label(z)) for z in everything]),
    ]
