"""Helpers of the keep-in-touch tests: a delivery at a pinned moment."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from rapport.conftest import Persona
from rapport.projects.models import Project
from rapport.projects.services import project_update

# Monday 7 December 2026, 10:00 in Athens: the moment the website is handed over.
DELIVERED = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def deliver(project: Project, alice: Persona, at: datetime = DELIVERED) -> Project:
    with time_machine.travel(at, tick=False):
        return project_update(project=project, actor=alice.user, status=Project.Status.DELIVERED)


def reopen(project: Project, alice: Persona, at: datetime = DELIVERED) -> Project:
    with time_machine.travel(at, tick=False):
        return project_update(project=project, actor=alice.user, status=Project.Status.ACTIVE)
