"""The repository's documents stay true to it: links resolve, cited practices exist, and no
path of one machine is written down."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
# A Markdown link or a bare mention of a repository file: [text](target) or `docs/x.md`.
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
MENTION = re.compile(r"`((?:docs|rapport|bench|scripts)/[\w./-]+\.(?:md|py|sh|html|typ))`")
PRACTICE = re.compile(r"\bP(\d{2})\b")
# Directories that exist only on one machine (a home, a checkout, a scratch folder).
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:home|root|work|Users|tmp)/\w")


def _targets(document: Path) -> list[str]:
    text = document.read_text()
    links = [t for t in LINK.findall(text) if "://" not in t and not t.startswith("mailto:")]
    return links + MENTION.findall(text)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_mentioned_files_exist(document: Path) -> None:
    missing = []
    for target in _targets(document):
        # A link is relative to its document; a mention in backquotes to the repository.
        candidates = [document.parent / target, ROOT / target]
        if not any(candidate.exists() for candidate in candidates):
            missing.append(target)
    assert missing == [], f"{document.relative_to(ROOT)} points at files that do not exist"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_path_of_one_machine(document: Path) -> None:
    assert MACHINE_PATH.findall(document.read_text()) == []


def test_every_practice_cited_in_the_code_is_described() -> None:
    described = set(PRACTICE.findall((ROOT / "docs" / "practices.md").read_text()))
    cited: set[str] = set()
    for source in (ROOT / "rapport").rglob("*"):
        if source.suffix in {".py", ".html", ".txt"} and "migrations" not in source.parts:
            cited.update(re.findall(r"\(P(\d{2})\b", source.read_text(errors="ignore")))
    assert cited, "no practice cited: the pattern no longer matches the code"
    assert sorted(cited - described) == []
