"""The new words of an email reply, apart from the earlier messages it quotes.

Mail programs append the message answered: lines starting with ">" after an attribution
("On Monday, Alice wrote:"), or Outlook's "-----Original Message-----". On the request page
the conversation already shows those messages, so the quote is folded away (kept, never
dropped: the provider can open it).
"""

from __future__ import annotations

import re

# Outlook and some webmails: everything below such a line is the message answered.
QUOTE_SEPARATOR = re.compile(r"^\s*(-{2,}\s*original message\s*-{2,}|_{10,})\s*$", re.IGNORECASE)
ATTRIBUTION_MAX = 300


def quote_split(text: str) -> tuple[str, str]:
    """(the new words, the quoted tail) of ``text``; the tail is "" when nothing is quoted,
    and when everything is (then the whole text is the message)."""
    lines = text.rstrip().splitlines()
    end = len(lines)
    for index, line in enumerate(lines):
        if QUOTE_SEPARATOR.match(line):
            end = index
            break
    else:
        while end > 0 and (lines[end - 1].startswith(">") or not lines[end - 1].strip()):
            end -= 1
        if not any(line.startswith(">") for line in lines[end:]):
            return text, ""
        before = end
        while before > 0 and not lines[before - 1].strip():
            before -= 1
        attribution = lines[before - 1].rstrip() if before > 0 else ""
        if attribution.endswith(":") and len(attribution) <= ATTRIBUTION_MAX:
            end = before - 1
    new = "\n".join(lines[:end]).strip()
    if not new:
        return text, ""
    return new, "\n".join(lines[end:]).strip()
