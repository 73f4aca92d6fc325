"""A problem on alice's website project, as the tests of the care app need it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rapport.care.models import Problem
from rapport.care.problems.services import AlternativeInput, problem_report
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.projects.models import Milestone, Project


def two_alternatives() -> list[AlternativeInput]:
    soon = date.today() + timedelta(days=4)
    return [
        AlternativeInput(1, "Redo the layouts with the right brand colours", "0", soon),
        AlternativeInput(2, "Keep the layouts and fix only the home page", "120", soon),
    ]


def report(
    *,
    project: Project,
    alice: Persona,
    contacts: list[Contact],
    milestone: Milestone | None = None,
    **changes: Any,
) -> Problem:
    fields: dict[str, Any] = {
        "title": "Layouts in the old brand colours",
        "what_happened": "The layouts used last year's palette.",
        "cause": Problem.Cause.OURS,
        "plan": "We redo them with the new palette.",
        "apology": "We are sorry: we used an old file.",
        "prevention": "A brand check before every delivery.",
        "impact_days": 3,
        "impact_amount": "0",
        "alternatives": two_alternatives(),
        **changes,
    }
    return problem_report(
        project=project, actor=alice.user, milestone=milestone, contacts=contacts, **fields
    )
