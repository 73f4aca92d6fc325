"""Two runs of one bench script side by side: each row's figure before and after, and the ratio.

    .venv/bin/python bench/compare.py pages --before b1.txt b2.txt --after a1.txt a2.txt
    .venv/bin/python bench/compare.py http --before before.txt --after after.txt

``pages``: outputs of ``bench/pages.py`` (compares queries and CPU ms; ratio = after / before,
so above 1 is slower). ``http``: outputs of ``bench/http.sh`` (compares req/s at 4
connections; ratio = after / before, so below 1 is slower). With several runs a side (run them
alternating), each row takes its best run: the lowest CPU ms, the highest req/s. On a shared
virtual machine a run's figures can all be 1.5-2x off for a minute (the "Python speed" line each
script prints shows it); the best of a few alternating runs is the figure least touched by
that. Rows are matched by name; a row found on one side only is listed with a dash. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PAGES_ROW = re.compile(
    r"^\| (?P<name>[^|]+?) \| `[^`]*` \| (?P<queries>\d+) \| [\d.]+ \| [\d.]+ \| (?P<cpu>[\d.]+) \|"
)
HTTP_ROW = re.compile(r"^\| (?P<name>.+?) `[^`]*` \| 4 \| (?P<rps>[\d.]+) \|")


def read_pages(paths: list[Path]) -> dict[str, tuple[int, float]]:
    """Each row's queries and its lowest CPU ms over the runs."""
    rows: dict[str, tuple[int, float]] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            found = PAGES_ROW.match(line)
            if found:
                name, cpu = found["name"], float(found["cpu"])
                best = rows.get(name)
                if best is None or cpu < best[1]:
                    rows[name] = (int(found["queries"]), cpu)
    return rows


def read_http(paths: list[Path]) -> dict[str, float]:
    """Each target's highest req/s at 4 connections over the runs (with PAIRED=1, the reference
    list's paired runs are skipped: a target's first row is its own)."""
    rows: dict[str, float] = {}
    for path in paths:
        seen: set[str] = set()
        for line in path.read_text().splitlines():
            found = HTTP_ROW.match(line)
            if found and found["name"] not in seen:
                seen.add(found["name"])
                rows[found["name"]] = max(rows.get(found["name"], 0.0), float(found["rps"]))
    return rows


def names_in_order(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return list(before) + [name for name in after if name not in before]


def compare_pages(before_paths: list[Path], after_paths: list[Path]) -> None:
    before, after = read_pages(before_paths), read_pages(after_paths)
    print("| what | queries before | queries after | CPU ms before | CPU ms after | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in names_in_order(before, after):  # type: ignore[arg-type]
        old, new = before.get(name), after.get(name)
        ratio = f"{new[1] / old[1]:.2f}" if old and new else "–"
        print(
            f"| {name} | {old[0] if old else '–'} | {new[0] if new else '–'} | "
            f"{f'{old[1]:.2f}' if old else '–'} | {f'{new[1]:.2f}' if new else '–'} | {ratio} |"
        )


def compare_http(before_paths: list[Path], after_paths: list[Path]) -> None:
    before, after = read_http(before_paths), read_http(after_paths)
    print("| request | req/s before (4 conn.) | req/s after | ratio |")
    print("|---|---:|---:|---:|")
    for name in names_in_order(before, after):  # type: ignore[arg-type]
        old, new = before.get(name), after.get(name)
        ratio = f"{new / old:.2f}" if old and new else "–"
        print(
            f"| {name} | {f'{old:.1f}' if old else '–'} | {f'{new:.1f}' if new else '–'} "
            f"| {ratio} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["pages", "http"])
    parser.add_argument("--before", type=Path, nargs="+", required=True)
    parser.add_argument("--after", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    if args.kind == "pages":
        compare_pages(args.before, args.after)
    else:
        compare_http(args.before, args.after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
