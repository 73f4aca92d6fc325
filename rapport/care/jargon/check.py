"""The plain-words check (P26): find jargon in a message before the client reads it.

Pure functions, no Django and no database: the caller passes the entries (the shipped list of
the message's language merged with the workspace's own, see ``merge``) and the client's
glossary. Matching is by whole words and phrases, ignoring case and accents (Greek tonos and
final sigma, Romanian ș/ş and ț/ţ), so "Deploy", "ΣΕΡΒΕΡ" and "certificat SSL" all match.
A term ending in ``*`` matches any word starting with it (Greek and Romanian endings:
"διακομιστ*" finds "διακομιστή" and "διακομιστές").

The client's glossary (``Client.glossary``: ``their word = what they mean``) changes the
answer in two ways (docs/plain-words.md):

- a term the client uses themselves is never flagged ("CMS = the editing page" means the client
  says "CMS");
- the start of a meaning names the provider's word for the client's ("pop-up = lightbox, over
  the page"): that word in a message, and any listed term inside a meaning, is flagged with the
  client's own word as the suggestion ("say pop-up: the client calls it that").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

JARGON = "jargon"
GLOSSARY = "glossary"

# Letters and digits; everything else (spaces, hyphens, slashes, dots) separates words, so
# "front-end" and "front end", "A/B test" and "A B test" are the same phrase.
_WORD = re.compile(r"[^\W_]+")
# Where a glossary meaning's first part ends: "lightbox, over the page" names "lightbox".
_MEANING_HEAD = re.compile(r"[,;:()\[\]—–]| - ")
# A meaning's first part longer than this is a description, not a word to look for.
HEAD_WORDS_MAX = 4
# Articles a meaning may start with ("the mobile app"), by language; Romanian and Indonesian
# have none before the noun.
_ARTICLES: Mapping[str, frozenset[str]] = {
    "en": frozenset({"the", "a", "an"}),
    "el": frozenset({"ο", "η", "το", "οι", "τα", "ενα", "ενασ", "μια"}),
}


def fold(text: str) -> str:
    """Lower-case without accents (tonos, diacritics), final sigma as sigma; ș/ş and ț/ţ as s, t."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ς", "σ")


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    return tuple(w for w in (fold(m) for m in _WORD.findall(text)) if w)


def term_key(term: str) -> str:
    """The form two spellings of one term share ("Front-End", "front end" → "front end");
    empty when the term has no letters or digits. A trailing ``*`` is kept: "server*" and
    "server" are different entries."""
    key = " ".join(words(term))
    return f"{key}*" if key and term.strip().endswith("*") else key


@dataclass(frozen=True, slots=True)
class Entry:
    """One listed term and what to say instead, in the same language."""

    term: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class Override:
    """A workspace's own entry: a new term, another suggestion, or a shipped term switched off."""

    term: str
    suggestion: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class Hit:
    """A term found in the text: ``text[start:end]`` is ``written``. ``term`` is the listed
    term (or, for the glossary, the provider's word); ``suggestion`` what to say instead (for
    the glossary: the client's own word)."""

    start: int
    end: int
    written: str
    term: str
    suggestion: str
    source: str
    language: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    words: tuple[str, ...]
    prefix: bool  # the last word matches any word starting with it
    term: str
    suggestion: str
    source: str


def merge(shipped: Iterable[Entry], overrides: Iterable[Override]) -> list[Entry]:
    """The shipped entries with a workspace's overrides applied, by ``term_key``: an override
    replaces the shipped suggestion, an inactive one removes the term, a new term is added."""
    merged: dict[str, Entry] = {}
    for entry in shipped:
        key = term_key(entry.term)
        if key:
            merged[key] = entry
    for override in overrides:
        key = term_key(override.term)
        if not key:
            continue
        if override.active:
            merged[key] = Entry(override.term, override.suggestion)
        else:
            merged.pop(key, None)
    return list(merged.values())


def _pattern(term: str, suggestion: str, source: str) -> _Pattern | None:
    found = words(term)
    if not found:
        return None
    shown = term.strip().rstrip("*").strip()
    return _Pattern(found, term.strip().endswith("*"), shown, suggestion, source)


def _meaning_head(meaning: str, language: str) -> tuple[str, ...]:
    head = words(_MEANING_HEAD.split(meaning, maxsplit=1)[0])
    articles = _ARTICLES.get(language, frozenset())
    if len(head) > 1 and head[0] in articles:
        head = head[1:]
    return head if len(head) <= HEAD_WORDS_MAX else ()


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


def _patterns(
    entries: Iterable[Entry], glossary: Iterable[Mapping[str, str]], language: str
) -> tuple[list[_Pattern], set[tuple[str, ...]]]:
    """The jargon patterns less what the client knows, plus the glossary's provider words."""
    known: set[tuple[str, ...]] = set()
    mapped: list[tuple[tuple[str, ...], tuple[str, ...], str]] = []  # head, meaning, their word
    for item in glossary:
        theirs = str(item.get("term", "")).strip()
        their_words = words(theirs)
        if not their_words:
            continue
        known.add(their_words)
        meaning = str(item.get("meaning", ""))
        mapped.append((_meaning_head(meaning, language), words(meaning), theirs))
    patterns: dict[tuple[tuple[str, ...], bool], _Pattern] = {}
    for entry in entries:
        pattern = _pattern(entry.term, entry.suggestion, JARGON)
        if pattern is None or pattern.words in known:
            continue
        for _head, meaning_words, theirs in mapped:
            # A listed term inside a meaning is the provider's word for the client's.
            if not pattern.prefix and _contains(meaning_words, pattern.words):
                pattern = _Pattern(pattern.words, False, pattern.term, theirs, GLOSSARY)
                break
        patterns[(pattern.words, pattern.prefix)] = pattern
    for head, _meaning, theirs in mapped:
        if head and head not in known:
            patterns[(head, False)] = _Pattern(head, False, " ".join(head), theirs, GLOSSARY)
    return list(patterns.values()), known


def _match(pattern: _Pattern, tokens: Sequence[str], at: int) -> bool:
    n = len(pattern.words)
    if at + n > len(tokens):
        return False
    for i, word in enumerate(pattern.words):
        token = tokens[at + i]
        last = i == n - 1
        if token != word and not (last and pattern.prefix and token.startswith(word)):
            return False
    return True


def check(
    text: str,
    *,
    language: str,
    entries: Iterable[Entry],
    glossary: Iterable[Mapping[str, str]] = (),
) -> list[Hit]:
    """The hits in ``text``, in the order they appear, none overlapping (the longest phrase
    wins: "DNS propagation" before "DNS"). ``glossary`` is the client's, as stored:
    ``[{"term": their word, "meaning": what they mean}]``."""
    patterns, known = _patterns(entries, glossary, language)
    if not patterns or not text:
        return []
    by_first: dict[str, list[_Pattern]] = {}
    prefixed: list[_Pattern] = []  # one-word "term*": looked up by prefix, not by word
    for pattern in patterns:
        if pattern.prefix and len(pattern.words) == 1:
            prefixed.append(pattern)
        else:
            by_first.setdefault(pattern.words[0], []).append(pattern)
    matches = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    tokens = [folded for _start, _end, folded in matches]
    hits: list[Hit] = []
    at = 0
    while at < len(tokens):
        candidates = by_first.get(tokens[at], []) + [
            p for p in prefixed if tokens[at].startswith(p.words[0])
        ]
        found = [p for p in candidates if _match(p, tokens, at)]
        if not found:
            at += 1
            continue
        # The longest phrase; among equals the glossary's (the client's word beats the list).
        best = max(found, key=lambda p: (len(p.words), p.source == GLOSSARY, not p.prefix))
        size = len(best.words)
        if best.source == JARGON and tuple(tokens[at : at + size]) in known:
            # "servers" in the glossary: the client says it, even if "server*" is listed.
            at += size
            continue
        start, end = matches[at][0], matches[at + size - 1][1]
        hits.append(
            Hit(start, end, text[start:end], best.term, best.suggestion, best.source, language)
        )
        at += size
    return hits


def check_languages(
    text: str,
    *,
    lists: Sequence[tuple[str, Iterable[Entry]]],
    glossary: Iterable[Mapping[str, str]] = (),
) -> list[Hit]:
    """``check`` for a message read in several languages (a client whose contacts speak
    different ones): ``lists`` is (language, entries), the first language first. A stretch of
    text flagged in two languages is reported once, in the first."""
    glossary = list(glossary)
    chosen: list[Hit] = []
    for language, entries in lists:
        for hit in check(text, language=language, entries=entries, glossary=glossary):
            if all(hit.end <= h.start or hit.start >= h.end for h in chosen):
                chosen.append(hit)
    return sorted(chosen, key=lambda h: (h.start, h.end))
