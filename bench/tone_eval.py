"""Evaluate the tone baseline on the labelled messages and print the figures.

    .venv/bin/python bench/tone_eval.py            # a table per set and language
    .venv/bin/python bench/tone_eval.py --errors   # and every message it got wrong
    .venv/bin/python bench/tone_eval.py --record   # write the macro-F1 floors the test keeps

No Django needed: the classifier is plain Python. See docs/tone.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapport.care.tone import Label, LexiconToneClassifier
from rapport.care.tone.evaluation import RECORDED, SETS, Figures, evaluate, load_examples


def _print_tables(name: str, figures: dict[str, Figures]) -> None:
    print(f"## {name}\n")
    print("| language | label | precision | recall | F1 | n |")
    print("|---|---|---|---|---|---|")
    for language, result in figures.items():
        for label in Label:
            f = result.per_label[label]
            print(
                f"| {language} | {label} | {f.precision:.2f} | {f.recall:.2f} | {f.f1:.2f} "
                f"| {f.support} |"
            )
    print()
    print("| language | macro-F1 | urgent flag accuracy | messages |")
    print("|---|---|---|---|")
    for language, result in figures.items():
        print(
            f"| {language} | {result.macro_f1:.3f} | {result.urgent_accuracy:.2f} "
            f"| {result.count} |"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the misclassified messages")
    parser.add_argument("--record", action="store_true", help=f"write {RECORDED.name}")
    args = parser.parse_args()

    classifier = LexiconToneClassifier()
    recorded: dict[str, dict[str, float]] = {}
    for name, path in SETS.items():
        examples = load_examples(path)
        figures = evaluate(classifier, examples)
        _print_tables(f"{name} set ({path.name})", figures)
        # Rounded down, so the figure recorded is one the classifier really reaches.
        recorded[name] = {k: math.floor(v.macro_f1 * 1000) / 1000 for k, v in figures.items()}
        if args.errors:
            for example in examples:
                got = classifier.classify(example.text, example.language)
                if got.label is not example.label or got.urgent != example.urgent:
                    cues = ", ".join(
                        f"{c.kind}:{c.text}{' (negated)' * c.negated}" for c in got.cues
                    )
                    print(
                        f"{example.language} want {example.label}/{int(example.urgent)} "
                        f"got {got.label}/{int(got.urgent)} [{cues}] {example.text}"
                    )
            print()

    if args.record:
        RECORDED.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
        print(f"recorded in {RECORDED.name}")


if __name__ == "__main__":
    main()
