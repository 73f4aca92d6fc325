"""Monotonic behaviour of the baseline, over generated messages (P24).

Messages are built from the lexicons' own words mixed with plain words and punctuation, so the
rules (negation, intensity, shouting, longest phrase first) meet each other often.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.care.tone import classify
from rapport.care.tone.interface import LANGUAGES, CueKind
from rapport.care.tone.lexicon import lexicon

PLAIN = {
    "en": ["the", "logo", "invoice", "we", "you", "files", "Thanks", "PLEASE", "DONE"],
    "el": ["το", "λογότυπο", "τιμολόγιο", "εμείς", "εσείς", "ΑΡΧΕΙΑ", "ευχαριστώ"],
    "ro": ["logoul", "factura", "noi", "voi", "fișierele", "MULȚUMESC", "vă rog"],
    "id": ["logonya", "tagihan", "kami", "kalian", "file", "TOLONG", "terima kasih"],
}
PUNCTUATION = [",", ".", "!", "!!", "?", ";", ""]


def _entries(language: str, kind: CueKind) -> list[str]:
    return [
        " ".join(t.rstrip("*") for t in p.tokens)
        for p in lexicon(language).patterns
        if p.kind is kind
    ]


def _message(language: str) -> st.SearchStrategy[str]:
    lex = lexicon(language)
    vocabulary = sorted(
        {*PLAIN[language], *lex.negators, *lex.intensifiers, *lex.breakers}
        | {e for kind in CueKind if kind is not CueKind.SHOUTING for e in _entries(language, kind)}
    )
    word = st.sampled_from(vocabulary).flatmap(lambda w: st.sampled_from([w, w.upper()]))
    return st.lists(
        st.tuples(word, st.sampled_from(PUNCTUATION)).map(lambda p: p[0] + p[1]), max_size=12
    ).map(" ".join)


@st.composite
def _case(draw: st.DrawFn, kind: CueKind) -> tuple[str, str, str, str]:
    language = draw(st.sampled_from(LANGUAGES))
    negators = sorted(lexicon(language).negators)
    return (
        language,
        draw(_message(language)),
        draw(st.sampled_from(_entries(language, kind))),
        draw(st.sampled_from(negators)),
    )


@settings(max_examples=300, deadline=None)
@given(_case(CueKind.HOSTILE), st.booleans())
def test_adding_a_hostile_phrase_never_makes_a_message_less_hostile(
    case: tuple[str, str, str, str], before: bool
) -> None:
    language, message, phrase, _ = case
    longer = f"{phrase}. {message}" if before else f"{message}. {phrase}"
    base, more = classify(message, language), classify(longer, language)
    assert more.label.rank >= base.label.rank
    assert more.hostility >= base.hostility + 3
    assert more.score > base.score


@settings(max_examples=300, deadline=None)
@given(_case(CueKind.UNHAPPY))
def test_negating_a_negative_word_never_makes_a_message_more_unhappy(
    case: tuple[str, str, str, str],
) -> None:
    language, message, word, negator = case
    plain = classify(f"{message}. {word}", language)
    negated = classify(f"{message}. {negator} {word}", language)
    assert negated.score <= plain.score
    assert negated.label.rank <= plain.label.rank
    assert negated.hostility == plain.hostility


@settings(max_examples=200, deadline=None)
@given(_case(CueKind.UNHAPPY))
def test_the_label_follows_the_score(case: tuple[str, str, str, str]) -> None:
    language, message, _, _ = case
    result = classify(message, language)
    assert 0 <= result.score < 1
    assert (result.score == 0) == (result.negativity == 0)
    assert result.negativity >= result.hostility
    assert sum(c.weight for c in result.cues) == result.negativity
