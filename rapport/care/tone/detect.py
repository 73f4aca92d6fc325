"""Which of the four languages a message is in, when the caller does not know.

Script first (Greek letters), then Romanian-only letters, then the count of each language's
common function words; with no evidence, English.
"""

from __future__ import annotations

import re

from rapport.care.tone.lexicon import lexicon
from rapport.care.tone.normalise import fold, has_greek

_ROMANIAN_LETTERS = re.compile(r"[ăâîșțşţĂÂÎȘȚŞŢ]")
_WORD = re.compile(r"[^\W_]+")


def detect_language(text: str) -> str:
    if has_greek(text):
        return "el"
    if _ROMANIAN_LETTERS.search(text):
        return "ro"
    words = [fold(w) for w in _WORD.findall(text)]
    best, best_count = "en", 0
    for language in ("en", "ro", "id"):
        known = lexicon(language).function_words
        count = sum(1 for w in words if w in known)
        if count > best_count:
            best, best_count = language, count
    return best
