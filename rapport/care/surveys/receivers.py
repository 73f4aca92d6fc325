"""What follows a delivery (P30, P34): connected in ``CareConfig.ready`` to
``projects.signals.project_delivered``, which is sent inside ``project_update``'s transaction,
so the thank-you and the scheduled survey commit with the delivery or not at all."""

from __future__ import annotations

from typing import Any

from rapport.care.surveys.services import project_thank, survey_schedule
from rapport.projects.models import Project


def project_delivered_follow(sender: type, *, project: Project, **kwargs: Any) -> None:
    """Thank each active contact now; schedule the survey a few days later."""
    project_thank(project=project, now=project.delivered_at)
    survey_schedule(project=project, now=project.delivered_at)
