"""The texts a client pattern offers (P25), written in the client's language: what to say on
the call, and a contract clause for next time. Calm and factual: the events with their dates,
no blame, and a way of working that protects both sides (P24: state the boundary plainly)."""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rapport.care.models import Problem
from rapport.care.patterns.detect import PATTERN_DAYS
from rapport.clients.models import Client
from rapport.core.clock import zone_or_utc

# The clause's grace: days an input may be late before the waiting time may be charged.
CLAUSE_GRACE_DAYS = 10


def _event_line(problem: Problem, tz: str) -> str:
    # The day as the client lived it, in their time zone.
    when = date_format(problem.created_at.astimezone(zone_or_utc(tz)).date(), "DATE_FORMAT")
    delay = ngettext("%(count)s day later", "%(count)s days later", problem.impact_days) % {
        "count": problem.impact_days
    }
    if problem.impact_days:
        return f"- {when}: {problem.title} ({problem.project.title}), {delay}"
    return f"- {when}: {problem.title} ({problem.project.title})"


def conversation_text(*, client: Client, contact_name: str, events: list[Problem]) -> str:
    """What to say on the call, in ``client.language``: the events with their dates, the
    wish to work well together, and a proposal for the inputs from now on."""
    with translation.override(client.language):
        lines = [
            _("Hello %(name)s,") % {"name": contact_name},
            "",
            _(
                "I would like to talk about how we work together, so that the next steps "
                "go smoothly for both of us."
            ),
            ngettext(
                "In the last %(days)s days the work waited for something from your side "
                "%(count)s time:",
                "In the last %(days)s days the work waited for something from your side "
                "%(count)s times:",
                len(events),
            )
            % {"days": PATTERN_DAYS, "count": len(events)},
            *(_event_line(p, client.timezone) for p in events),
            "",
            _(
                "Each time we moved the dates and told you in writing. This is not a "
                "complaint: I want to find a way of working that suits you."
            ),
            _(
                "Could we agree who sends the materials and approvals, by which date, and "
                "what happens to the dates when they come later?"
            ),
            _("For our next agreement I suggest a clause that says this plainly."),
        ]
    return "\n".join(lines)


def clause_text(*, language: str) -> str:
    """A contract clause on late inputs, in ``language``: dates move day for day, and after
    a grace period the time kept free may be charged."""
    with translation.override(language):
        return "\n\n".join(
            [
                _("Inputs from the client"),
                _(
                    "The client provides the materials, content, access and approvals the "
                    "work needs by the dates in the schedule."
                ),
                _(
                    "When an input arrives late, every later date in the schedule moves by "
                    "the same number of days."
                ),
                _(
                    "When an input is more than %(days)s days late, the provider may charge "
                    "the time kept free for the project at the agreed hourly rate, after "
                    "telling the client in writing."
                )
                % {"days": CLAUSE_GRACE_DAYS},
            ]
        )
