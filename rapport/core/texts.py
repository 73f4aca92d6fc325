"""Texts the system composes, stored as a key and parameters and written out when read.

A commitment the engine opens ("Progress update on Website"), the alert and the timeline
event that quote it, are read later by people in other languages than the one active when
they were written. So the row keeps ``{"text": "<key>", "args": {...}}`` and each reader sees
the sentence in their own language (the same idea as the timeline's verbs, ADR 0004 and
ADR 0021). Texts a person typed are stored as typed and never pass through here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

TextRef = dict[str, Any]

# Each key has one translatable sentence; keep keys stable, rows refer to them.
TEXTS: dict[str, StrPromise] = {
    "commitment.update": gettext_lazy("Progress update on %(title)s"),
    "commitment.answer": gettext_lazy("Answer: %(subject)s"),
    "commitment.answer_reply": gettext_lazy("Answer %(name)s's reply: %(subject)s"),
    "commitment.countersign": gettext_lazy("Countersign %(title)s"),
    "commitment.fix": gettext_lazy("Fix: %(title)s"),
    "request.no_subject": gettext_lazy("(no subject)"),
    "request.problem_talk": gettext_lazy("Let us talk about: %(title)s"),
    # Why the client-upset alert was raised (care.upset, P23, P24).
    "upset.tone_unhappy": gettext_lazy("an unhappy message"),
    "upset.tone_hostile": gettext_lazy("a hostile message"),
    # Why the system cancelled or moved a commitment (the client may read it in the portal).
    "reason.quote_replaced": gettext_lazy("A new version replaces this quote."),
    "reason.milestone_archived": gettext_lazy("milestone archived"),
    "reason.due_date_edited": gettext_lazy("due date edited"),
    "reason.change_request": gettext_lazy("change request %(title)s"),
    # The two options of a change request in the decisions log (P19, P36).
    "decision.change_approve": gettext_lazy("Make the change"),
    "decision.change_keep": gettext_lazy("Keep the agreement as it is"),
    # Why the pulse raised the client-upset alert (care.pulse.rules).
    "upset.pulse_low": gettext_lazy("answered %(face)s (%(score)s of 5) to the pulse"),
    "upset.pulse_falling": gettext_lazy(
        "the pulse fell from %(previous)s to %(recent)s on average"
    ),
    # The occasion of an important-date alert (care.namedays, P31).
    "occasion.birthday": gettext_lazy("birthday"),
    "occasion.name_day": gettext_lazy("name day"),
    "occasion.company_anniversary": gettext_lazy("company anniversary"),
    "occasion.company_anniversary_years": gettext_lazy("%(years)s years of the company"),
    "occasion.other": gettext_lazy("a special day"),
    # The worst signal of a client at risk (care.health, P37).
    "health.keeping": gettext_lazy("promises broken"),
    "health.response": gettext_lazy("requests answered late"),
    "health.mood": gettext_lazy("an unhappy pulse"),
    "health.mood_falling": gettext_lazy("a falling pulse"),
    "health.survey": gettext_lazy("a poor survey answer"),
    "health.invoices": gettext_lazy("overdue invoices"),
    "health.problems": gettext_lazy("open problems"),
    "health.silence": gettext_lazy("a long silence"),
}

LANGUAGES = ("en", "el", "ro", "id")


def text_ref(key: str, **args: Any) -> TextRef:
    """A stored reference to the sentence ``key`` with ``args``; unknown keys are refused at
    write time, like unknown timeline verbs."""
    if key not in TEXTS:
        raise ValueError(f"unknown system text {key!r}")
    return {"text": key, "args": args}


def is_text_ref(value: object) -> bool:
    return isinstance(value, dict) and value.get("text") in TEXTS


def system_text(ref: TextRef, fallback: str = "") -> str:
    """The sentence of ``ref`` in the active language; ``fallback`` (the text stored before
    references existed) when the key is unknown or its parameters do not fit."""
    template = TEXTS.get(str(ref.get("text", "")))
    if template is None:
        return fallback
    from rapport.core.formatting import readable

    try:
        return str(template) % readable(dict(ref.get("args") or {}))
    except (KeyError, TypeError, ValueError):
        return fallback


def text_parts(value: str | TextRef) -> tuple[str, TextRef]:
    """(the text to store, the reference to store) of a value that is either typed text or a
    reference: a reference is kept with its English sentence as the fallback."""
    if isinstance(value, dict):
        return text_in_default(value), value
    return value, {}


def text_in_default(ref: TextRef) -> str:
    """The sentence in the site's default language: the fallback column of a row, for
    search and for anything that reads the column directly."""
    with translation.override("en"):
        return system_text(ref)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    for key, template in TEXTS.items():
        for language in LANGUAGES:
            with translation.override(language):
                sentence = str(template)
            parts = re.split(r"%\((\w+)\)s", sentence)
            regex = "".join(
                re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+)"
                for index, part in enumerate(parts)
            )
            found.append((key, re.compile(f"^{regex}$", re.DOTALL)))
    return found


def text_ref_from(text: str) -> TextRef | None:
    """The reference a stored sentence was written from, if it is one of ours in any of our
    languages (for migrating rows that kept only the sentence); None for anything else."""
    for key, pattern in _patterns():
        match = pattern.match(text)
        if match:
            return {"text": key, "args": match.groupdict()}
    return None
