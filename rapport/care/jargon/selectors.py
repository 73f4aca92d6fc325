"""Reads for the plain-words check: the lists a workspace checks with, the languages a
message is read in, the check itself, and the rows of the settings page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapport.care.jargon.check import (
    GLOSSARY,
    Entry,
    Hit,
    Override,
    check_languages,
    fold,
    merge,
    term_key,
)
from rapport.care.jargon.shipped import LANGUAGES, shipped
from rapport.care.models import JargonTerm
from rapport.clients.models import Client, Contact


def workspace_terms(*, workspace_id: int, language: str | None = None) -> list[JargonTerm]:
    """The workspace's own entries (all languages, or one), in list order."""
    rows = JargonTerm.objects.for_workspace(workspace_id)
    if language is not None:
        rows = rows.filter(language=language)
    return list(rows)


def jargon_lists(*, workspace_id: int, languages: Sequence[str]) -> list[tuple[str, list[Entry]]]:
    """(language, entries) for each of ``languages``: the shipped list with the workspace's
    overrides applied. One query whatever the number of languages."""
    wanted = [lang for lang in dict.fromkeys(languages) if lang in LANGUAGES] or ["en"]
    overrides: dict[str, list[Override]] = {lang: [] for lang in wanted}
    for row in JargonTerm.objects.for_workspace(workspace_id).filter(language__in=wanted):
        overrides[row.language].append(Override(row.term, row.suggestion, row.active))
    return [(lang, merge(shipped(lang), overrides[lang])) for lang in wanted]


def message_languages(*, client: Client, contact_ids: Iterable[int] = ()) -> list[str]:
    """The languages a message to ``client`` is read in: those of the chosen contacts (all its
    current contacts when none are chosen), the client's own language first. A contact
    without a language reads the client's. One query."""
    ids = [i for i in contact_ids if i]
    contacts = Contact.objects.filter(client_id=client.pk, archived_at__isnull=True)
    if ids:
        contacts = contacts.filter(pk__in=ids)
    found = {lang or client.language for lang in contacts.values_list("language", flat=True)}
    ordered = [client.language, *sorted(found - {client.language})]
    return [lang for lang in ordered if lang in found] or [client.language]


@dataclass(frozen=True, slots=True)
class Finding:
    """One term found, with how many times; what the inline panel lists."""

    hit: Hit
    count: int

    @property
    def from_glossary(self) -> bool:
        return self.hit.source == GLOSSARY


def jargon_findings(*, client: Client, text: str, contact_ids: Iterable[int] = ()) -> list[Finding]:
    """The jargon in ``text`` written to ``client`` (its chosen contacts), each term once in
    the order it first appears. Two queries (languages, the workspace's entries); none for
    an empty text."""
    if not text.strip():
        return []
    languages = message_languages(client=client, contact_ids=contact_ids)
    lists = jargon_lists(workspace_id=client.workspace_id, languages=languages)
    glossary = client.glossary if isinstance(client.glossary, list) else []
    hits = check_languages(text, lists=lists, glossary=glossary)
    counts: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], Hit] = {}
    for hit in hits:
        key = (" ".join(fold(hit.written).split()), hit.suggestion)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, hit)
    return [Finding(hit, counts[key]) for key, hit in first.items()]


@dataclass(frozen=True, slots=True)
class ListRow:
    """A line of the settings page: a shipped term (with the workspace's change, if any) or a
    workspace's own term."""

    term: str
    suggestion: str
    active: bool
    shipped_suggestion: str  # empty for the workspace's own terms
    row: JargonTerm | None

    @property
    def is_shipped(self) -> bool:
        return bool(self.shipped_suggestion)

    @property
    def changed(self) -> bool:
        return self.row is not None and self.is_shipped


def plain_words_rows(*, workspace_id: int, language: str) -> list[ListRow]:
    """The workspace's own terms first (newest changes are what the owner looks for), then
    the shipped list with the workspace's changes, in file order. One query."""
    own = {
        row.term_key: row for row in workspace_terms(workspace_id=workspace_id, language=language)
    }
    shipped_rows: list[ListRow] = []
    seen: set[str] = set()
    for entry in shipped(language):
        key = term_key(entry.term)
        if key in seen:
            continue
        seen.add(key)
        row = own.get(key)
        shipped_rows.append(
            ListRow(
                term=row.term if row else entry.term,
                suggestion=row.suggestion if row else entry.suggestion,
                active=row.active if row else True,
                shipped_suggestion=entry.suggestion,
                row=row,
            )
        )
    own_rows = [
        ListRow(row.term, row.suggestion, row.active, "", row)
        for key, row in own.items()
        if key not in seen
    ]
    return own_rows + shipped_rows
