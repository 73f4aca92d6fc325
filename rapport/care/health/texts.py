"""How a health score explains itself, and the step each worst signal suggests (P37, P34).

The parts are stored as figures (``score.Part.stored``) and written out here when read, so
each reader sees the sentences in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from rapport.care.health.score import Part

NAMES = {
    "keeping": gettext_lazy("Promise keeping"),
    "response": gettext_lazy("Response time"),
    "mood": gettext_lazy("Mood"),
    "mood_falling": gettext_lazy("Mood trend"),
    "survey": gettext_lazy("Last survey"),
    "invoices": gettext_lazy("Overdue invoices"),
    "problems": gettext_lazy("Open problems"),
    "silence": gettext_lazy("Silence"),
}


def part_name(part: Part) -> str:
    return str(NAMES.get(part.key, part.key))


def part_sentence(part: Part) -> str:
    """What the signal read, in the reader's language."""
    a: dict[str, Any] = part.args
    key = part.key
    if part.neutral:
        return {
            "keeping": gettext("No promise kept or broken in the last 90 days: neutral."),
            "response": gettext("No request in the last 90 days: neutral."),
            "mood": gettext("No pulse answer yet: neutral."),
            "survey": gettext("No survey answer yet: neutral."),
            "silence": gettext("No message either way yet: neutral."),
        }.get(key, gettext("No data: neutral."))
    if key == "keeping":
        return gettext("%(rate)s %% kept: %(kept)s kept, %(broken)s broken (90 days).") % a
    if key == "response":
        return (
            ngettext(
                "%(on_time)s of %(total)s request answered within the target (90 days).",
                "%(on_time)s of %(total)s requests answered within the target (90 days).",
                a["total"],
            )
            % a
        )
    if key == "mood":
        return gettext("Lately %(recent)s of 5; the last answer %(last)s of 5.") % a
    if key == "mood_falling":
        return gettext("The pulse fell from %(previous)s to %(recent)s on average.") % a
    if key == "survey":
        return gettext("The last survey answer: %(answer)s of 10.") % a
    if key == "invoices":
        if not a.get("count"):
            return gettext("No invoice overdue.")
        return ngettext("%(count)s invoice overdue.", "%(count)s invoices overdue.", a["count"]) % a
    if key == "problems":
        if not a.get("count"):
            return gettext("No open problem.")
        return ngettext("%(count)s open problem.", "%(count)s open problems.", a["count"]) % a
    if key == "silence":
        return (
            ngettext(
                "%(days)s day since the last message either way.",
                "%(days)s days since the last message either way.",
                a["days"],
            )
            % a
        )
    return ""


@dataclass(frozen=True)
class Step:
    label: str
    url: str


def step_for(step: dict[str, Any], client_id: int) -> Step:
    """The suggested next step of a client from its stored ``step`` (the worst signal and the
    row its link opens), with the page that does it."""
    key, target = step.get("key", ""), step.get("id")
    client_url = reverse("clients:detail", args=[client_id])
    if key == "invoices" and target:
        return Step(
            gettext("Chase the overdue invoice, or talk about it"),
            reverse("billing:invoice_detail", args=[target]),
        )
    if key == "problems" and target:
        return Step(
            gettext("Solve the open problem"), reverse("care:problem_detail", args=[target])
        )
    if key == "response":
        url = reverse("conversations:detail", args=[target]) if target else client_url
        return Step(gettext("Answer the open request"), url)
    if key == "silence":
        if target:
            return Step(
                gettext("Send a progress update"),
                reverse("projects:update_compose", args=[target]),
            )
        return Step(gettext("Call them"), client_url)
    if key == "keeping":
        url = reverse("projects:update_compose", args=[target]) if target else client_url
        return Step(gettext("Send an update: say what was missed and the new dates"), url)
    if key in ("mood", "mood_falling"):
        return Step(gettext("Call them and ask how it is going"), client_url)
    if key == "survey":
        return Step(gettext("Say thank you and ask how it went"), client_url)
    return Step(gettext("Call them"), client_url)
