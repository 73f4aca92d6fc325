"""Scoring a classifier against the labelled sets in ``data/``.

``messages.csv`` (240 messages) is the development set: the lexicons were written while
looking at what it got wrong. ``holdout.csv`` (48 messages) was written afterwards and has not
been used to change the lexicons; its figures are the fairer estimate.

The figures the test holds the classifier to live in ``data/recorded_figures.json``: the test
and docs/tone.md both read them from there, and ``bench/tone_eval.py`` prints new ones.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapport.care.tone.interface import LANGUAGES, Label, ToneClassifier

DATA_DIR = Path(__file__).resolve().parent / "data"
MESSAGES = DATA_DIR / "messages.csv"
HOLDOUT = DATA_DIR / "holdout.csv"
SETS = {"development": MESSAGES, "holdout": HOLDOUT}
RECORDED = DATA_DIR / "recorded_figures.json"


@dataclass(frozen=True)
class Example:
    language: str
    label: Label
    urgent: bool
    text: str


@dataclass(frozen=True)
class LabelFigures:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Figures:
    """Precision, recall and F1 per label, their macro-F1, and urgent-flag accuracy."""

    per_label: dict[Label, LabelFigures]
    macro_f1: float
    urgent_accuracy: float
    count: int


def load_examples(path: Path = MESSAGES) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(
                language=row["language"],
                label=Label(row["label"]),
                urgent=row["urgent"] == "1",
                text=row["text"],
            )
            for row in csv.DictReader(handle)
        ]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score(pairs: Iterable[tuple[Example, Label, bool]]) -> Figures:
    """Figures for (example, predicted label, predicted urgent) triples."""
    rows = list(pairs)
    per_label: dict[Label, LabelFigures] = {}
    for label in Label:
        true_positive = sum(1 for e, p, _ in rows if e.label is label and p is label)
        predicted = sum(1 for _, p, _ in rows if p is label)
        actual = sum(1 for e, _, _ in rows if e.label is label)
        precision = _ratio(true_positive, predicted)
        recall = _ratio(true_positive, actual)
        f1 = _ratio(round(2 * precision * recall * 1e9), round((precision + recall) * 1e9))
        per_label[label] = LabelFigures(precision, recall, f1, actual)
    return Figures(
        per_label=per_label,
        macro_f1=sum(f.f1 for f in per_label.values()) / len(per_label),
        urgent_accuracy=_ratio(sum(1 for e, _, u in rows if e.urgent == u), len(rows)),
        count=len(rows),
    )


def evaluate(classifier: ToneClassifier, examples: list[Example]) -> dict[str, Figures]:
    """Figures per language and for all messages together (key ``"all"``).

    Each message is classified in its own language, as the app will: the sender's contact
    language is known.
    """
    predictions = []
    for example in examples:
        result = classifier.classify(example.text, example.language)
        predictions.append((example, result.label, result.urgent))
    figures = {
        language: score(p for p in predictions if p[0].language == language)
        for language in LANGUAGES
    }
    figures["all"] = score(predictions)
    return figures


def recorded_floors(set_name: str) -> dict[str, float]:
    """The recorded macro-F1 of a set (a key of ``SETS``) per language and ``"all"``.

    The test fails below them.
    """
    raw: dict[str, float] = json.loads(RECORDED.read_text(encoding="utf-8"))[set_name]
    return raw
