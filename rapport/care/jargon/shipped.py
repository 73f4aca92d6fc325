"""The shipped plain-words lists (``data/<language>.tsv``), read once per process.

Each line is ``term<TAB>suggestion``; ``#`` starts a comment line. The lists are part of the
code (reviewed like code, changed by a commit); a workspace changes them for itself through
``JargonTerm`` rows, never by editing the files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rapport.care.jargon.check import Entry

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "el", "ro", "id")


def parse(text: str) -> tuple[Entry, ...]:
    """The entries of one list file; a line without a tab or with an empty side is skipped
    (a test keeps the shipped files free of such lines)."""
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        term, sep, suggestion = line.partition("\t")
        if sep and term.strip() and suggestion.strip():
            entries.append(Entry(term.strip(), suggestion.strip()))
    return tuple(entries)


@cache
def shipped(language: str) -> tuple[Entry, ...]:
    """The shipped list of ``language`` (a regional code counts as its language: "el-GR");
    English for a language without a list."""
    base = language.split("-")[0].lower()
    if base not in LANGUAGES:
        base = "en"
    return parse((DATA / f"{base}.tsv").read_text(encoding="utf-8"))
