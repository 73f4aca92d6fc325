"""The tone badge of a client's message (P23, P24): shown for unhappy and hostile words only,
with the words that decided it, so the provider sees why (docs/tone.md)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.conversations.models import Tone

register = template.Library()


def _counted(cues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cues that weighed: a negated "no problem" or an urgent word did not."""
    return [c for c in cues if c.get("weight", 0) > 0 and c.get("kind") != "urgent"]


@register.inclusion_tag("conversations/_tone_badge.html")
def tone_badge(
    tone: str, cues: list[dict[str, Any]] | None = None, note: str = ""
) -> dict[str, Any]:
    """``tone`` and ``cues`` as a row keeps them (``ToneFields``); ``note`` is a line shown
    under the cues (e.g. that the words are in a reply)."""
    shown = tone in (Tone.UNHAPPY, Tone.HOSTILE)
    return {
        "shown": shown,
        "tone": tone,
        "label": Tone(tone).label if shown else "",
        "cues": _counted(cues or []),
        "note": note,
    }


@register.inclusion_tag("conversations/_tone_badge.html")
def request_tone_badge(request: Any) -> dict[str, Any]:
    """The inbox's badge: the worst tone of the request and its email replies
    (``selectors.request_inbox`` annotates ``reply_hostile`` and ``reply_unhappy``)."""
    own = request.tone or Tone.NEUTRAL
    worst = own
    if getattr(request, "reply_hostile", False):
        worst = Tone.HOSTILE
    elif getattr(request, "reply_unhappy", False) and own != Tone.HOSTILE:
        worst = Tone.UNHAPPY
    if worst == own:
        return tone_badge(own, request.tone_cues)
    return tone_badge(worst, [], note="reply")
