"""What a date or a widget must not look like in text people read (docs/formatting.md).

Shared by the page walk (``test_pages_read_well``) and the message scan
(``notifications/tests/test_messages_localized``).
"""

from __future__ import annotations

import re

# 2026-12-06, alone (not part of an invoice number such as 2026-0007 or a longer run).
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
# "Dec. 6, 2026", "December 6, 2026": the month before the day, as the US writes it.
MONTH_FIRST = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
)
# 12/20/2026: a month first, visibly (the second number cannot be a month).
NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/])")
# "7:40 a.m.", "7 p.m.", "7:40 PM": a 12-hour clock.
TWELVE_HOUR = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.m\.|[AP]M\b)")

# What Django or a browser says in English above, below or inside a form field.
ENGLISH_WIDGET_TEXTS = (
    "- Select an option -",
    "---------",
    "This field is required.",
    "Enter a valid date.",
    "Enter a valid email address.",
    "Enter a number.",
    "Select a valid choice.",
    "Currently:",
    "Change:",
)


_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_SHOWN_ATTRIBUTE = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    """What a reader sees of ``html``: its text and the attributes a browser shows (title,
    placeholder, aria-label, alt). Machine values (``<input type="date" value>``,
    ``<time datetime>``) are left out: they are ISO on purpose."""
    html = _HIDDEN.sub(" ", html)
    shown = " ".join(_SHOWN_ATTRIBUTE.findall(html))
    return _TAG.sub(" ", html) + " " + shown


def unreadable_dates(text: str) -> list[str]:
    """The pieces of ``text`` that are ISO dates, US-order dates or 12-hour times."""
    found = [m.group(0) for m in ISO_DATE.finditer(text)]
    found += [m.group(0) for m in MONTH_FIRST.finditer(text)]
    found += [m.group(0) for m in TWELVE_HOUR.finditer(text)]
    for match in NUMERIC.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if first <= 12 < second <= 31:
            found.append(match.group(0))
    return found


def english_widget_texts(text: str) -> list[str]:
    return [piece for piece in ENGLISH_WIDGET_TEXTS if piece in text]
