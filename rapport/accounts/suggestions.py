"""What a language suggests for a new workspace, client or contact: its currency and time zone.

A Romanian-speaking freelancer most likely invoices in RON and lives in Europe/Bucharest; a
suggestion only fills a field nobody has touched (server side as the initial value, in the page
through ``data-suggest``), never overrides a choice. English suggests nothing: it is spoken
everywhere.
"""

from __future__ import annotations

LANGUAGE_SUGGESTIONS: dict[str, dict[str, str]] = {
    "el": {"currency": "EUR", "timezone": "Europe/Athens"},
    "ro": {"currency": "RON", "timezone": "Europe/Bucharest"},
    "id": {"currency": "IDR", "timezone": "Asia/Jakarta"},
}


def suggestion_for(language: str) -> dict[str, str]:
    """{"currency", "timezone"} suggested by ``language`` (a code such as "ro" or "ro-RO"),
    or {} when it suggests nothing."""
    return dict(LANGUAGE_SUGGESTIONS.get((language or "").split("-")[0].lower(), {}))
