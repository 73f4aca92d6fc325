"""The name-day calendars (P31): which feast a first name keeps, and on which day of a year.

The calendars are data (``data/<language>.tsv``: Greek and Romanian Orthodox), read once per
process. A feast is fixed (``MM-DD``), counted from Orthodox Easter (``easter+N``), or St
George's, which the Greek and the Romanian churches both move to Easter Monday when 23 April
falls on or before Easter (ADR 0036). A name is looked up accent-, case- and final-sigma-
insensitively ("ΓΙΩΡΓΟΣ", "Γιωργος" and "Γιώργος" are one name; "Ștefan" and "Stefan" too).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from dateutil.easter import EASTER_ORTHODOX, easter

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("el", "ro")
GEORGE = "george"


@dataclass(frozen=True, slots=True)
class Feast:
    """One feast of a calendar: ``key`` is ``<language>:<name>`` (stored on the date row)."""

    key: str
    rule: str

    def on(self, year: int) -> date:
        """The day of this feast in ``year`` (the civil, Gregorian date)."""
        if self.rule == GEORGE:
            george = date(year, 4, 23)
            pascha: date = easter(year, EASTER_ORTHODOX)
            return pascha + timedelta(days=1) if george <= pascha else george
        if self.rule.startswith("easter"):
            start: date = easter(year, EASTER_ORTHODOX)
            return start + timedelta(days=int(self.rule[6:]))
        month, day = self.rule.split("-")
        return date(year, int(month), int(day))

    @property
    def moves(self) -> bool:
        """Whether the feast's day changes from year to year (tied to Easter)."""
        return not self.rule[:2].isdigit()


def fold(name: str) -> str:
    """A name as the calendar compares it: without accents or diacritics (NFD, the marks
    dropped), case-folded (which also turns a final sigma into a medial one), spaces trimmed."""
    decomposed = unicodedata.normalize("NFD", name.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


def first_name(full_name: str) -> str:
    """The first word of a contact's name ("Γιώργος Παπαδόπουλος" -> "Γιώργος"); a
    hyphenated first name counts by its first part ("Ana-Maria" -> "Ana")."""
    words = full_name.split()
    return words[0].split("-")[0] if words else ""


def parse(language: str, text: str) -> dict[str, Feast]:
    """folded name -> feast, from one calendar file. A name listed twice is a data error."""
    table: dict[str, Feast] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, rule, names = line.split("\t")
        feast = Feast(key=f"{language}:{key.strip()}", rule=rule.strip())
        for name in names.split(","):
            folded = fold(name)
            if folded and table.get(folded, feast) != feast:
                raise ValueError(f"{name!r} is listed under two feasts in {language}.tsv")
            table[folded] = feast
    return table


@cache
def calendar(language: str) -> dict[str, Feast]:
    """The calendar of ``language`` ("el" or "ro"); empty for a language without one."""
    if language not in LANGUAGES:
        return {}
    return parse(language, (DATA / f"{language}.tsv").read_text(encoding="utf-8"))


@cache
def feasts() -> dict[str, Feast]:
    """Every feast of every calendar by its key (what a stored row names)."""
    return {feast.key: feast for lang in LANGUAGES for feast in calendar(lang).values()}


def feast_for(name: str, language: str) -> Feast | None:
    """The feast on which a person called ``name`` (a full name: its first word counts)
    keeps their name day in ``language``'s calendar, or None."""
    return calendar(language.split("-")[0].lower()).get(fold(first_name(name)))


def feast_day(key: str, year: int) -> date | None:
    """The day of the feast ``key`` in ``year``; None for a key no calendar has any more."""
    feast = feasts().get(key)
    return feast.on(year) if feast is not None else None
