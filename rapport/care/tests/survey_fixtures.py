"""Helpers of the survey tests: a delivered project whose survey went out."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from rapport.care.model_surveys import Survey
from rapport.care.surveys.services import survey_send
from rapport.conftest import Persona
from rapport.projects.models import Project
from rapport.projects.services import project_update

# A Monday morning (Athens is UTC+2): nothing here depends on the hour the tests run at.
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def deliver(project: Project, alice: Persona, at: datetime = MONDAY) -> Project:
    with time_machine.travel(at, tick=False):
        return project_update(project=project, actor=alice.user, status=Project.Status.DELIVERED)


def sent_survey(project: Project, alice: Persona, at: datetime = MONDAY) -> Survey:
    """The project delivered and its survey sent by hand at ``at``."""
    deliver(project, alice, at)
    with time_machine.travel(at, tick=False):
        return survey_send(project=project, actor=alice.user)
