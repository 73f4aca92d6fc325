"""Background tasks shared by every app."""

from __future__ import annotations

from django.tasks import task

from rapport.core.periodic import tick_run


@task()
def tick() -> dict[str, int]:
    """The once-a-minute tick enqueued by the scheduler."""
    return tick_run()
