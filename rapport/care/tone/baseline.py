"""The transparent baseline: lexicon cues, negation and intensity, clause by clause (P23, P24).

Every number the label comes from is a cue the provider can read back ("hostile: 'idiots'",
"unhappy: 'not happy' (negated)"). The rules:

- a cue from the language's lexicon adds its weight: unhappy 1, hostile 3; urgent cues set the
  urgent flag and add nothing;
- a negator up to ``NEGATION_WINDOW`` words before a cue, in the same clause, cancels an
  unhappy or urgent cue ("not a problem", "no rush") and turns a positive word into an unhappy
  cue ("not happy", "δεν είμαι ευχαριστημένος", "nu sunt mulțumit", "tidak puas"); it leaves
  hostile cues and phrases that are negative by themselves ("no reply") as they are;
- an intensifier up to ``INTENSIFIER_WINDOW`` words before a cue, or right after it, multiplies
  it by 1.5; exclamation marks ending the clause (up to three) add a quarter each; a shouted
  clause (words in capitals) multiplies by 1.5, and a shouted clause with no cue at all still
  counts as one unhappy cue.

Clauses are scored independently and summed, so adding a sentence can only add evidence: a
message never becomes less hostile because something hostile was added to it.
"""

from __future__ import annotations

from rapport.care.tone.detect import detect_language
from rapport.care.tone.interface import LANGUAGES, Cue, CueKind, Label, ToneResult
from rapport.care.tone.lexicon import Lexicon, Pattern, lexicon
from rapport.care.tone.normalise import Clause, clauses

NEGATION_WINDOW = 3
INTENSIFIER_WINDOW = 2
WEIGHTS = {CueKind.UNHAPPY: 1.0, CueKind.HOSTILE: 3.0, CueKind.SHOUTING: 1.0}
HOSTILE_AT = 3.0
UNHAPPY_AT = 1.0
# score = negativity / (negativity + SCORE_HALF): one hostile cue scores 0.5.
SCORE_HALF = 3.0


def _match(lex: Lexicon, words: tuple[str, ...], start: int) -> Pattern | None:
    for pattern in lex.candidates(words[start]):
        if pattern.matches_at(words, start):
            return pattern
    return None


def _preceded_by(
    words: tuple[str, ...],
    start: int,
    window: int,
    wanted: frozenset[str],
    lex: Lexicon,
    taken: set[int],
) -> bool:
    """A word of ``wanted`` within ``window`` words before ``start``, not across a breaker."""
    for index in range(start - 1, max(start - window, 0) - 1, -1):
        word = words[index]
        if word in lex.breakers:
            return False
        if index not in taken and word in wanted:
            return True
    return False


def _clause_cues(lex: Lexicon, clause: Clause) -> tuple[list[Cue], bool]:
    """The cues of one clause, weighted, and whether an urgent cue stands un-negated."""
    words = clause.tokens
    found: list[tuple[Pattern, int]] = []
    taken: set[int] = set()
    index = 0
    while index < len(words):
        pattern = _match(lex, words, index)
        if pattern is None:
            index += 1
            continue
        found.append((pattern, index))
        taken.update(range(index, index + len(pattern.tokens)))
        index += len(pattern.tokens)

    amplify = (1.0 + 0.25 * min(clause.exclamations, 3)) * (1.5 if clause.shouted else 1.0)
    cues: list[Cue] = []
    urgent = False
    for pattern, start in found:
        kind = pattern.kind
        # A phrase that carries its own negation ("no reply", "καμία απάντηση") is not undone
        # by another: Greek, Romanian and Indonesian stack negatives for emphasis ("δεν έχω
        # καμία απάντηση"). Hostile words stay hostile under negation: "don't lie to me",
        # "nu mă mai mințiți" are accusations, not retractions.
        negated = (
            kind is not CueKind.HOSTILE
            and pattern.tokens[0] not in lex.negators
            and _preceded_by(words, start, NEGATION_WINDOW, lex.negators, lex, taken)
        )
        end = start + len(pattern.tokens)
        # Intensifiers come before the word in most languages ("very late") and after it in
        # Indonesian ("kecewa sekali", "telat banget").
        after = end < len(words) and end not in taken and words[end] in lex.intensifiers
        intensified = after or _preceded_by(
            words, start, INTENSIFIER_WINDOW, lex.intensifiers, lex, taken
        )
        text = " ".join(clause.written[start:end])
        factor = amplify * (1.5 if intensified else 1.0)
        if kind is CueKind.URGENT:
            urgent = urgent or not negated
            cues.append(Cue(kind, text, 0.0, negated=negated))
        elif kind is CueKind.POSITIVE:
            if negated:  # "not happy" is a complaint, weighed like one
                unhappy = WEIGHTS[CueKind.UNHAPPY] * factor
                cues.append(
                    Cue(CueKind.UNHAPPY, text, unhappy, negated=True, intensified=intensified)
                )
        elif negated:
            cues.append(Cue(kind, text, 0.0, negated=True))
        else:
            cues.append(Cue(kind, text, WEIGHTS[kind] * factor, intensified=intensified))
    if clause.shouted and not found:
        shouting = WEIGHTS[CueKind.SHOUTING] * amplify
        cues.append(Cue(kind=CueKind.SHOUTING, text=clause.original, weight=shouting))
    return cues, urgent


class LexiconToneClassifier:
    """The baseline ``ToneClassifier``; stateless, so one instance serves everyone."""

    def classify(self, text: str, language: str | None = None) -> ToneResult:
        """Label ``text`` in ``language`` (detected when None or not one of ``LANGUAGES``).

        A regional code counts as its language ("el-GR", "id_ID"). Never raises on any
        string: an empty message is neutral.
        """
        base = (language or "").lower().replace("_", "-").split("-")[0]
        lang = base if base in LANGUAGES else detect_language(text)
        lex = lexicon(lang)
        cues: list[Cue] = []
        urgent = False
        for clause in clauses(text):
            clause_cues, clause_urgent = _clause_cues(lex, clause)
            cues.extend(clause_cues)
            urgent = urgent or clause_urgent
        hostility = sum(c.weight for c in cues if c.kind is CueKind.HOSTILE)
        negativity = sum(c.weight for c in cues)
        if hostility >= HOSTILE_AT:
            label = Label.HOSTILE
        elif negativity >= UNHAPPY_AT:
            label = Label.UNHAPPY
        else:
            label = Label.NEUTRAL
        return ToneResult(
            label=label,
            score=negativity / (negativity + SCORE_HALF),
            urgent=urgent,
            language=lang,
            negativity=negativity,
            hostility=hostility,
            cues=tuple(cues),
        )
