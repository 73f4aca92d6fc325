"""The tone of a client's message: neutral, unhappy or hostile, and whether it is urgent.

Pure Python, no Django: callers pass text and a language and get a ``ToneResult`` whose cues
explain the label. ``classify`` uses the lexicon baseline; anything implementing
``ToneClassifier`` can replace it. See docs/tone.md.
"""

from __future__ import annotations

from rapport.care.tone.baseline import LexiconToneClassifier
from rapport.care.tone.interface import LANGUAGES, Cue, CueKind, Label, ToneClassifier, ToneResult

__all__ = [
    "LANGUAGES",
    "Cue",
    "CueKind",
    "Label",
    "LexiconToneClassifier",
    "ToneClassifier",
    "ToneResult",
    "classify",
]

_DEFAULT: ToneClassifier = LexiconToneClassifier()


def classify(text: str, language: str | None = None) -> ToneResult:
    """Classify ``text`` with the default classifier (the lexicon baseline)."""
    return _DEFAULT.classify(text, language)
