"""The baseline's rules, one by one, in the four languages (P23, P24)."""

from __future__ import annotations

import pytest

from rapport.care.tone import CueKind, Label, LexiconToneClassifier, ToneClassifier, classify
from rapport.care.tone.detect import detect_language
from rapport.care.tone.interface import LANGUAGES
from rapport.care.tone.lexicon import LEXICON_DIR, lexicon
from rapport.care.tone.normalise import fold, words


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I am not happy with the new logo.", "en"),
        ("Δεν είμαι ευχαριστημένος με το νέο λογότυπο.", "el"),
        ("Nu sunt mulțumit de noul logo.", "ro"),
        ("Saya tidak puas dengan logo barunya.", "id"),
    ],
)
def test_a_negated_positive_word_is_a_complaint(text: str, language: str) -> None:
    result = classify(text, language)
    assert result.label is Label.UNHAPPY
    assert [c.kind for c in result.cues] == [CueKind.UNHAPPY]


@pytest.mark.parametrize(
    ("plain", "negated", "language"),
    [
        ("It is a problem.", "It is not a problem.", "en"),
        ("Υπάρχει καθυστέρηση.", "Δεν υπάρχει καθυστέρηση.", "el"),
        ("E o problemă.", "Nu e nicio problemă.", "ro"),
        ("Ada masalah.", "Tidak ada masalah.", "id"),
    ],
)
def test_a_negated_negative_word_counts_nothing(plain: str, negated: str, language: str) -> None:
    assert classify(plain, language).label is Label.UNHAPPY
    result = classify(negated, language)
    assert result.label is Label.NEUTRAL
    assert result.score == 0
    assert [c.negated for c in result.cues] == [True]


def test_negation_stops_at_a_clause_break() -> None:
    result = classify("Not late, but the colours are wrong.", "en")
    assert result.label is Label.UNHAPPY
    assert [(c.text, c.negated) for c in result.cues] == [("late", True), ("wrong", False)]
    # "but" ends the reach of a negation too, even without a comma.
    assert classify("It is not great but late", "en").negativity == 2


def test_negative_concord_does_not_cancel_a_phrase_that_is_negative_itself() -> None:
    assert classify("Δεν έχω καμία απάντηση.", "el").label is Label.UNHAPPY
    assert classify("Nu am primit niciun răspuns.", "ro").label is Label.UNHAPPY


def test_hostile_words_stay_hostile_under_negation() -> None:
    assert classify("Don't lie to me, you liars.", "en").label is Label.HOSTILE
    assert classify("Jangan bohong.", "id").label is Label.HOSTILE


@pytest.mark.parametrize(
    "variants",
    [
        ("Αυτό είναι απαράδεκτο", "ΑΥΤΟ ΕΙΝΑΙ ΑΠΑΡΑΔΕΚΤΟ", "αυτο ειναι απαραδεκτο"),
        ("Είστε ανίκανος", "ΕΙΣΤΕ ΑΝΙΚΑΝΟΣ", "ειστε ανικανοσ"),
        ("Nu sunt mulțumit", "Nu sunt mulţumit", "nu sunt multumit", "NU SUNT MULȚUMIT"),
        ("Sunteți incompetenți", "Sunteţi incompetenţi", "sunteti incompetenti"),
    ],
)
def test_accents_case_final_sigma_and_cedillas_do_not_matter(variants: tuple[str, ...]) -> None:
    language = detect_language(variants[0])
    labels = {classify(v, language).label for v in variants}
    assert len(labels) == 1
    assert labels != {Label.NEUTRAL}


def test_fold() -> None:
    assert fold("Ευχαριστημένος") == "ευχαριστημενοσ"
    assert fold("ȘȚăîâ şţ") == "staia st"
    assert fold("don’t") == "don't"


def test_intensity_raises_the_score() -> None:
    plain = classify("I am disappointed.", "en").score
    assert classify("I am very disappointed.", "en").score > plain
    assert classify("I am disappointed!!!", "en").score > plain
    assert classify("WE ARE DISAPPOINTED", "en").score > plain
    assert classify("Saya kecewa sekali.", "id").score > classify("Saya kecewa.", "id").score
    assert classify("Είμαι πολύ απογοητευμένη.", "el").cues[0].intensified


def test_exclamation_alone_is_not_a_complaint() -> None:
    assert classify("Great work, thank you!!!", "en").label is Label.NEUTRAL


def test_shouting_alone_is_a_complaint_but_an_acronym_is_not() -> None:
    shouted = classify("WHERE ARE THE FILES", "en")
    assert shouted.label is Label.UNHAPPY
    assert [c.kind for c in shouted.cues] == [CueKind.SHOUTING]
    assert classify("Please send the PDF and the SVG of the logo.", "en").label is Label.NEUTRAL


def test_hostile_result_explains_itself_in_the_clients_words() -> None:
    result = classify("You are IDIOTS and I want a refund", "en")
    assert result.label is Label.HOSTILE
    assert ("IDIOTS", CueKind.HOSTILE) in [(c.text, c.kind) for c in result.cues]
    assert result.hostility == 3
    assert result.score == pytest.approx(result.negativity / (result.negativity + 3))


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Please send it ASAP", True),
        ("Είναι επείγον, η σελίδα έπεσε", True),
        ("Vă rog urgent, site-ul e picat", True),
        ("Mohon segera dibalas", True),
        ("No rush, next week is fine", False),
        ("Δεν είναι επείγον", False),
        ("Nu e urgent", False),
        ("Tidak mendesak kok", False),
    ],
)
def test_urgent_flag(text: str, urgent: bool) -> None:
    result = classify(text)
    assert result.urgent is urgent
    assert result.label is Label.NEUTRAL  # urgency alone is not a mood


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Καλημέρα, πότε θα είναι έτοιμο;", "el"),
        ("Buna ziua, cand este gata site-ul?", "ro"),
        ("Bună ziua", "ro"),
        ("Halo kak, kapan websitenya selesai ya?", "id"),
        ("Hi, when will the site be ready?", "en"),
        ("", "en"),
        ("12345 ???", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_unknown_or_missing_language_is_detected() -> None:
    assert classify("Sunteți niște escroci", None).language == "ro"
    assert classify("Είστε απατεώνες", "fr").language == "el"
    assert classify("Είστε απατεώνες", "fr").label is Label.HOSTILE
    # A regional code is its language, even when the words would say otherwise.
    assert classify("OK", "ro-RO").language == "ro"
    assert classify("OK", "id_ID").language == "id"
    assert classify("OK", "EL").language == "el"


def test_empty_and_odd_text_is_neutral() -> None:
    for text in ("", "   ", "...!!!", "😀👍", "\x00"):
        result = classify(text, "en")
        assert (result.label, result.score, result.cues) == (Label.NEUTRAL, 0.0, ())


def test_no_lexicon_for_another_language() -> None:
    with pytest.raises(ValueError, match="language"):
        lexicon("fr")


def test_lexicons_are_complete_and_every_entry_can_match() -> None:
    assert sorted(p.stem for p in LEXICON_DIR.glob("*.json")) == sorted(LANGUAGES)
    for language in LANGUAGES:
        lex = lexicon(language)
        kinds = {p.kind for p in lex.patterns}
        assert kinds == {CueKind.UNHAPPY, CueKind.HOSTILE, CueKind.URGENT, CueKind.POSITIVE}
        for pattern in lex.patterns:
            # An entry is general: a word or a short phrase, never a whole sentence.
            assert 1 <= len(pattern.tokens) <= 5, pattern
            sample = tuple(t.rstrip("*") for t in pattern.tokens)
            assert pattern.matches_at(sample, 0), pattern
        # Negators, intensifiers and breakers are single words: they are compared word by word.
        assert all(words(w) == (w,) for w in lex.negators | lex.intensifiers | lex.breakers)


def test_the_baseline_is_a_tone_classifier() -> None:
    classifier: ToneClassifier = LexiconToneClassifier()
    assert classifier.classify("Thanks!", "en").label is Label.NEUTRAL


def test_the_most_specific_entry_wins() -> None:
    # "αθλιότητ*" (hostile) and "άθλι*" (unhappy) both match "αθλιότητα": the longer one decides.
    assert classify("Τι αθλιότητα!", "el").label is Label.HOSTILE
    assert classify("Το αποτέλεσμα είναι άθλιο.", "el").label is Label.UNHAPPY


def test_a_negator_does_not_also_intensify() -> None:
    result = classify("Δεν είμαι καθόλου ευχαριστημένος", "el")
    assert [(c.kind, c.negated, c.weight) for c in result.cues] == [(CueKind.UNHAPPY, True, 1.0)]


def test_a_long_email_is_classified_from_all_its_clauses() -> None:
    body = "Thanks for the update, the new pages look fine. " * 400
    result = classify(body + "But the invoice is wrong.", "en")
    assert result.label is Label.UNHAPPY
    assert [c.text for c in result.cues] == ["wrong"]


def test_cues_quote_the_clients_spelling() -> None:
    result = classify("Τι ΑΘΛΙΟΤΗΤΑ, είστε ανίκανοι-άχρηστοι!", "el")
    assert [c.text for c in result.cues] == ["ΑΘΛΙΟΤΗΤΑ", "ανίκανοι", "άχρηστοι"]
