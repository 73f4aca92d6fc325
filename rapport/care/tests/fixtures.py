"""A problem on alice's website project, and a greeting alert, as the tests of the care app
need them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rapport.care.models import Problem
from rapport.care.namedays.scan import alert_data
from rapport.care.problems.services import AlternativeInput, problem_report
from rapport.clients.models import Contact
from rapport.clients.services import important_date_add
from rapport.conftest import Persona
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise
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


def greeting_alert(contact: Contact) -> Alert:
    """The contact's birthday (10 March) as the morning scan announces it (care.namedays)."""
    item = important_date_add(contact=contact, kind="birthday", month=3, day=10)
    alert, _created = alert_raise(
        workspace=contact.workspace_id,
        kind=Alert.Kind.IMPORTANT_DATE,
        dedupe_key=f"important_date:{item.pk}:2026",
        client=contact.client,
        subject=item,
        data=alert_data(item, 2026),
    )
    return alert
