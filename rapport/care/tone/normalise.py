"""Text folding for matching: case, accents, Greek final sigma, Romanian comma and cedilla.

Clients type without diacritics on phones ("nu sunt multumit", "απαραδεκτο"), and Romanian
keyboards still produce the cedilla forms ş ţ; all of them must match the same lexicon entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A clause ends at punctuation or at a contrastive conjunction: a negation or an intensifier
# does not reach across it ("not late, but the files are wrong").
_CLAUSE_BREAK = re.compile(r"[.;:!?…\n,()\"]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def fold(text: str) -> str:
    """Lower-case, strip combining marks (tonos, diacritics), unify final sigma and apostrophes."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ς", "σ").replace("’", "'")


@dataclass(frozen=True)
class Clause:
    """A stretch of a message between breaks, with what shapes its intensity."""

    original: str
    tokens: tuple[str, ...]
    # The same words as the client wrote them, to quote back in a cue.
    written: tuple[str, ...]
    exclamations: int
    shouted: bool


def _is_shouted(original: str) -> bool:
    # Shouting is several words of three letters or more written in capitals; one acronym
    # ("PDF", "ASAP") is not.
    words = [w for w in _WORD.findall(original) if len(w) >= 3 and any(c.isalpha() for c in w)]
    upper = [w for w in words if w.isupper()]
    return len(upper) >= 2 and len(upper) * 2 >= len(words)


def clauses(text: str) -> list[Clause]:
    """Split ``text`` into clauses; each counts the exclamation marks that end it."""
    result: list[Clause] = []
    position = 0
    for match in _CLAUSE_BREAK.finditer(text + "\n"):
        original = text[position : match.start()]
        position = match.end()
        written = tuple(_WORD.findall(original))
        if written:
            result.append(
                Clause(
                    original=original.strip(),
                    tokens=tuple(fold(w) for w in written),
                    written=written,
                    exclamations=match.group().count("!"),
                    shouted=_is_shouted(original),
                )
            )
    return result


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``; hyphens and spaces separate words alike."""
    return tuple(fold(w) for w in _WORD.findall(text))


def has_greek(text: str) -> bool:
    return any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text)
