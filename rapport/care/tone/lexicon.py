"""Per-language lexicons, read from ``data/lexicons/<language>.json``.

An entry is a word or a phrase; a token ending in ``*`` matches any word that starts with it,
which covers Greek and Romanian inflection ("απαράδεκτ*", "inacceptabil*"). Entries are folded
like the text (``normalise.fold``), so they may be written with or without accents.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
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


HEAD = 3  # prefix entries are indexed by the first letters of their stem


@dataclass(frozen=True)
class Lexicon:
    language: str
    patterns: tuple[Pattern, ...]
    negators: frozenset[str]
    intensifiers: frozenset[str]
    breakers: frozenset[str]
    function_words: frozenset[str]
    # Patterns by their first word (exact) or the head of their first stem (prefix), so a long
    # email costs a dictionary look-up per word rather than a pass over every entry.
    by_word: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)
    by_head: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)

    def candidates(self, word: str) -> list[Pattern]:
        """Patterns that may start at ``word``, the most specific first: the longest phrase
        ("not bad at all" before "bad"), then the longest spelling ("αθλιότητ*", hostile,
        before "άθλι*", unhappy)."""
        found = [*self.by_word.get(word, ()), *self.by_head.get(word[:HEAD], ())]
        return sorted(found, key=lambda p: (-len(p.tokens), -sum(map(len, p.tokens))))


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
    by_word: defaultdict[str, list[Pattern]] = defaultdict(list)
    by_head: defaultdict[str, list[Pattern]] = defaultdict(list)
    for pattern in patterns:
        first = pattern.tokens[0]
        if first.endswith("*"):
            if len(first) - 1 < HEAD:
                raise ValueError(f"{language}: the stem {first!r} is too short to match safely")
            by_head[first[:HEAD]].append(pattern)
        else:
            by_word[first].append(pattern)
    return Lexicon(
        language=language,
        patterns=tuple(patterns),
        negators=_words(raw["negators"]),
        # A word that negates does not also intensify ("καθόλου" is both "not at all" and
        # "at all"): negating a complaint must never make it weigh more.
        intensifiers=_words(raw["intensifiers"]) - _words(raw["negators"]),
        breakers=_words(raw["breakers"]),
        function_words=_words(raw["function_words"]),
        by_word={k: tuple(v) for k, v in by_word.items()},
        by_head={k: tuple(v) for k, v in by_head.items()},
    )
