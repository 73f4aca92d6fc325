"""Writes of a workspace's plain-words list (P26). Owner only, like the other workspace
settings; each refusal names its field and nothing is written when one is refused."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership
from rapport.care.jargon.check import term_key
from rapport.care.jargon.shipped import LANGUAGES, shipped
from rapport.care.models import JargonTerm
from rapport.core.errors import ApplicationError

TERM_MAX = 100
SUGGESTION_MAX = 300


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ApplicationError(_("Choose one of the languages offered."), field="language")
    return language


def _term(term: str) -> tuple[str, str]:
    term = (term or "").strip()
    if not term:
        raise ApplicationError(_("Write the word or phrase to look for."), field="term")
    if len(term) > TERM_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": TERM_MAX}, field="term"
        )
    key = term_key(term)
    if not key:
        raise ApplicationError(_("A term needs at least one letter or digit."), field="term")
    return term, key


def _suggestion(suggestion: str) -> str:
    suggestion = (suggestion or "").strip()
    if not suggestion:
        raise ApplicationError(_("Say what to write instead."), field="suggestion")
    if len(suggestion) > SUGGESTION_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": SUGGESTION_MAX},
            field="suggestion",
        )
    return suggestion


def _taken(*, workspace_id: int, language: str, key: str, but: int | None) -> bool:
    rows = JargonTerm.objects.for_workspace(workspace_id).filter(language=language, term_key=key)
    return rows.exclude(pk=but).exists() if but is not None else rows.exists()


def _duplicate() -> ApplicationError:
    return ApplicationError(
        _("This term is on your list already: change it in the list."), field="term"
    )


@transaction.atomic
def jargon_term_save(
    *,
    membership: Membership,
    language: str,
    term: str,
    suggestion: str,
    row: JargonTerm | None = None,
) -> JargonTerm:
    """Add a term to the workspace's list in ``language`` (``row`` None) or change one.

    A term the shipped list has already (same word, whatever the case or accents) is saved as
    the workspace's version of it: its suggestion replaces the shipped one. A term the
    workspace lists already is refused (``term``), as are an empty or overlong term or
    suggestion. Saving a switched-off term switches it back on.
    """
    require_owner(membership)
    if row is not None and row.workspace_id != membership.workspace_id:
        raise ApplicationError(_("No such term."), code="not_found")
    language = _language(row.language if row is not None else language)
    term, key = _term(term)
    suggestion = _suggestion(suggestion)
    workspace_id = membership.workspace_id
    if _taken(
        workspace_id=workspace_id,
        language=language,
        key=key,
        but=row.pk if row is not None else None,
    ):
        raise _duplicate()
    if row is None:
        row = JargonTerm(workspace_id=workspace_id, language=language)
    row.term, row.term_key, row.suggestion, row.active = term, key, suggestion, True
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # the same term saved at the same moment by another tab
        raise _duplicate() from exc
    return row


@transaction.atomic
def jargon_shipped_switch_off(*, membership: Membership, language: str, term: str) -> JargonTerm:
    """Stop flagging a shipped term in this workspace (it stays in the files for others).
    Switching off a term the workspace has changed keeps its suggestion for when it is
    switched on again."""
    require_owner(membership)
    language = _language(language)
    _term_text, key = _term(term)
    entry = next((e for e in shipped(language) if term_key(e.term) == key), None)
    if entry is None:
        raise ApplicationError(_("This term is not on the shipped list."), field="term")
    row, _created = JargonTerm.objects.get_or_create(
        workspace_id=membership.workspace_id,
        language=language,
        term_key=key,
        defaults={"term": entry.term, "suggestion": entry.suggestion, "active": False},
    )
    if row.active:
        row.active = False
        row.save(update_fields=["active", "updated_at"])
    return row


@transaction.atomic
def jargon_term_switch(*, membership: Membership, row: JargonTerm, active: bool) -> JargonTerm:
    """Flag a workspace's term again (``active``) or stop flagging it."""
    require_owner(membership)
    if row.workspace_id != membership.workspace_id:
        raise ApplicationError(_("No such term."), code="not_found")
    if row.active != active:
        row.active = active
        row.save(update_fields=["active", "updated_at"])
    return row


@transaction.atomic
def jargon_term_remove(*, membership: Membership, row: JargonTerm) -> None:
    """Remove a workspace's entry: its own term is gone; a changed or switched-off shipped
    term is back as shipped."""
    require_owner(membership)
    if row.workspace_id != membership.workspace_id:
        raise ApplicationError(_("No such term."), code="not_found")
    row.delete()
