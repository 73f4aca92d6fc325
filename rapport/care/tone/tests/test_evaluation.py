"""The labelled set and the figures the baseline must keep (docs/tone.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rapport.care.tone import Label, LexiconToneClassifier, ToneResult
from rapport.care.tone.evaluation import HOLDOUT, SETS, evaluate, load_examples, recorded_floors
from rapport.care.tone.interface import LANGUAGES

DOC = Path(__file__).resolve().parents[4] / "docs" / "tone.md"


def test_the_set_has_twenty_messages_per_label_and_language() -> None:
    examples = load_examples()
    assert len(examples) >= 240
    counts = Counter((e.language, e.label) for e in examples)
    assert {(lang, label) for lang in LANGUAGES for label in Label} == set(counts)
    assert min(counts.values()) >= 20
    texts = [e.text.strip() for e in examples]
    assert len(set(texts)) == len(texts), "a message is listed twice"
    assert all(0 < len(t) <= 200 for t in texts), "the set is of short messages"


def test_the_holdout_set_is_balanced_and_new() -> None:
    holdout = load_examples(HOLDOUT)
    counts = Counter((e.language, e.label) for e in holdout)
    assert {(lang, label) for lang in LANGUAGES for label in Label} == set(counts)
    assert min(counts.values()) >= 4
    development = {e.text for e in load_examples()}
    assert not development & {e.text for e in holdout}


@pytest.mark.parametrize("set_name", SETS)
@pytest.mark.parametrize("scope", [*LANGUAGES, "all"])
def test_macro_f1_does_not_drop_below_the_recorded_figure(set_name: str, scope: str) -> None:
    figures = evaluate(LexiconToneClassifier(), load_examples(SETS[set_name]))
    assert figures[scope].macro_f1 >= recorded_floors(set_name)[scope]


@pytest.mark.parametrize("set_name", SETS)
def test_the_doc_states_the_recorded_figures(set_name: str) -> None:
    floors = recorded_floors(set_name)
    row = " | ".join(f"{floors[scope]:.3f}" for scope in [*LANGUAGES, "all"])
    assert f"| {set_name} | {row} |" in DOC.read_text(encoding="utf-8")


class _AlwaysNeutral:
    def classify(self, text: str, language: str | None = None) -> ToneResult:
        return ToneResult(label=Label.NEUTRAL, score=0.0, urgent=False, language=language or "en")


def test_a_classifier_that_does_nothing_falls_below_every_floor() -> None:
    # The floors are a real bar: a classifier that ignores the text gets a third of the labels
    # right and a macro-F1 of about 0.17.
    figures = evaluate(_AlwaysNeutral(), load_examples())
    floors = recorded_floors("development")
    assert all(figures[scope].macro_f1 < floors[scope] for scope in floors)
    assert figures["all"].per_label[Label.NEUTRAL].recall == 1
    assert figures["all"].per_label[Label.HOSTILE].precision == 0
