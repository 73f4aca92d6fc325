"""The periodic tick: jobs that run once a minute, idempotent, cheap when nothing is due.

Apps register their scanners in ``AppConfig.ready``; the tick runs them in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

Job = Callable[[datetime], int]
JOBS: list[Job] = []


def register_job(job: Job) -> Job:
    if job not in JOBS:
        JOBS.append(job)
    return job


@register_job
def task_results_prune(now: datetime) -> int:
    """Delete finished background-task rows older than 7 days."""
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=now - timedelta(days=7)).delete()
    return deleted


def tick_run(now: datetime | None = None) -> dict[str, int]:
    """Run every job once; one failing job does not stop the others."""
    now = now or timezone.now()
    results: dict[str, int] = {}
    for job in JOBS:
        try:
            results[job.__name__] = job(now)
        except Exception:
            logger.exception("periodic job %s failed", job.__name__)
            results[job.__name__] = -1
    return results
