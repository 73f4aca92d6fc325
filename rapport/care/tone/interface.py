"""The interface of a tone classifier: what it is asked, what it answers (P23, P24).

The baseline in ``baseline.py`` implements it with lexicons; a model can implement it later
without its callers changing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

LANGUAGES = ("en", "el", "ro", "id")


class Label(StrEnum):
    """The tone of a message, mildest first: the order is meaningful (``rank``)."""

    NEUTRAL = "neutral"
    UNHAPPY = "unhappy"
    HOSTILE = "hostile"

    @property
    def rank(self) -> int:
        return list(Label).index(self)


class CueKind(StrEnum):
    UNHAPPY = "unhappy"
    HOSTILE = "hostile"
    URGENT = "urgent"
    # A positive word under negation ("not happy") counts as unhappy; alone it counts nothing.
    POSITIVE = "positive"
    SHOUTING = "shouting"


@dataclass(frozen=True)
class Cue:
    """One piece of evidence, kept so the provider can see why a message was labelled so.

    ``text`` is the message's own words that matched; ``weight`` what it added to the score
    (0 when a negation cancelled it); ``negated`` and ``intensified`` say which rules applied.
    """

    kind: CueKind
    text: str
    weight: float
    negated: bool = False
    intensified: bool = False


@dataclass(frozen=True)
class ToneResult:
    """The answer for one message.

    ``score`` is the negativity in [0, 1): 0 for no negative evidence, growing with it;
    ``hostility`` and ``negativity`` are the raw sums the label was decided from;
    ``language`` is the language used (given, or detected).
    """

    label: Label
    score: float
    urgent: bool
    language: str
    negativity: float = 0.0
    hostility: float = 0.0
    cues: tuple[Cue, ...] = field(default_factory=tuple)


class ToneClassifier(Protocol):
    def classify(self, text: str, language: str | None = None) -> ToneResult:
        """Label ``text``; ``language`` is an ISO code or None (then it is detected)."""
        ...
