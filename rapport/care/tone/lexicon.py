"""Per-language lexicons, read from ``data/lexicons/<language>.json``.

An entry is a word or a phrase; a token ending in ``*`` matches any word that starts with it,
which covers Greek and Romanian inflection ("απαράδεκτ*", "inacceptabil*"). Entries are folded
like the text (``normalise.fold``), so they may be written with or without accents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapport.care.tone.interface import LANGUAGES, CueKind
from rapport.care.tone.normalise import fold, words

LEXICON_DIR = Path(__file__).resolve().parent / "data" / "lexicons"
CUE_LISTS = {
    "unhappy": CueKind.UNHAPPY,
    "hostile": CueKind.HOSTILE,
    "urgent": CueKind.URGENT,
    "positive": CueKind.POSITIVE,
}


@dataclass(frozen=True)
class Pattern:
    tokens: tuple[str, ...]
    kind: CueKind

    def matches_at(self, words: tuple[str, ...], start: int) -> bool:
        if start + len(self.tokens) > len(words):
            return False
        for offset, token in enumerate(self.tokens):
            word = words[start + offset]
            if token.endswith("*"):
                if not word.startswith(token[:-1]):
                    return False
            elif word != token:
                return False
        return True


@dataclass(frozen=True)
class Lexicon:
    language: str
    # Longest first, so "not bad at all" is tried before "bad".
    patterns: tuple[Pattern, ...]
    negators: frozenset[str]
    intensifiers: frozenset[str]
    breakers: frozenset[str]
    function_words: frozenset[str]


def _tokens(entry: str) -> tuple[str, ...]:
    # Split the entry as the text is split (hyphens too); a final "*" survives the split.
    tokens = words(entry)
    return (*tokens[:-1], tokens[-1] + "*") if entry.endswith("*") else tokens


def _words(entries: list[str]) -> frozenset[str]:
    return frozenset(fold(e) for e in entries)


@cache
def lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (one of ``LANGUAGES``); ValueError for any other."""
    if language not in LANGUAGES:
        raise ValueError(f"language: no tone lexicon for {language!r}")
    raw = json.loads((LEXICON_DIR / f"{language}.json").read_text(encoding="utf-8"))
    patterns = [
        Pattern(tokens=_tokens(entry), kind=kind)
        for key, kind in CUE_LISTS.items()
        for entry in raw[key]
    ]
    patterns.sort(key=lambda p: -len(p.tokens))
    return Lexicon(
        language=language,
        patterns=tuple(patterns),
        negators=_words(raw["negators"]),
        intensifiers=_words(raw["intensifiers"]),
        breakers=_words(raw["breakers"]),
        function_words=_words(raw["function_words"]),
    )
