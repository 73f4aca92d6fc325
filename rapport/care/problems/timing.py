"""When an unanswered problem report is due its reminder (P20)."""

from __future__ import annotations

from datetime import UTC, datetime

from rapport.accounts.models import Workspace
from rapport.core.clock import add_working_days, workspace_hours, zone_or_utc

# Working days (the workspace's) a report may wait before the client is reminded.
REMIND_AFTER_WORKING_DAYS = 3


def problem_remind_at(workspace: Workspace, sent_at: datetime) -> datetime:
    """The moment a report sent at ``sent_at`` is due its reminder: the same time of day,
    ``REMIND_AFTER_WORKING_DAYS`` working days later where the provider works."""
    zone = zone_or_utc(workspace.timezone)
    local = sent_at.astimezone(zone)
    day = add_working_days(
        local.date(), REMIND_AFTER_WORKING_DAYS, workspace_hours(workspace, local.date())
    )
    return datetime.combine(day, local.time(), tzinfo=zone).astimezone(UTC)
