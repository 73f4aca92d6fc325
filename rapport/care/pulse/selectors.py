"""Reads of the pulse: the trend per client and per project, and a contact's own answer
(for the portal). Each is one query whatever the number of answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from rapport.care.models import PulseAnswer
from rapport.care.pulse.rules import WINDOW, Direction, pulse_trend
from rapport.clients.models import Contact
from rapport.projects.models import ProjectUpdate

# The answers a trend shows one by one: the two windows it compares.
SHOWN = 2 * WINDOW


@dataclass(frozen=True)
class PulseSummary:
    """What a client or project page shows of the pulse."""

    answers: list[PulseAnswer] = field(default_factory=list)
    """The latest answers, newest first (at most ``SHOWN``), each with its contact."""
    recent: Decimal | None = None
    previous: Decimal | None = None
    direction: Direction = Direction.UNKNOWN

    @property
    def oldest_first(self) -> list[PulseAnswer]:
        return self.answers[::-1]


def _summary(rows: QuerySet[PulseAnswer]) -> PulseSummary:
    answers = list(rows.select_related("contact").order_by("-answered_at", "-id")[:SHOWN])
    trend = pulse_trend([a.score for a in reversed(answers)])
    return PulseSummary(
        answers=answers, recent=trend.recent, previous=trend.previous, direction=trend.direction
    )


def client_pulse(*, workspace_id: int, client_id: int) -> PulseSummary:
    """The client's pulse across its projects and contacts."""
    return _summary(PulseAnswer.objects.for_workspace(workspace_id).filter(client_id=client_id))


def project_pulse(*, workspace_id: int, project_id: int) -> PulseSummary:
    """The pulse of one project."""
    return _summary(PulseAnswer.objects.for_workspace(workspace_id).filter(project_id=project_id))


def contact_answer(*, contact: Contact, update: ProjectUpdate | None) -> PulseAnswer | None:
    """The contact's answer to ``update`` (the portal's "You said …"); without an update, their
    latest answer given without one."""
    rows = PulseAnswer.objects.filter(
        workspace_id=contact.workspace_id, contact_id=contact.pk, update=update
    )
    return rows.order_by("-answered_at", "-id").first()
