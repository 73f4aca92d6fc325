"""The periodic tick: jobs that run once a minute, idempotent, cheap when nothing is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)


def portal_links_prune() -> int:
    """Delete portal links that expired more than 30 days ago (their sessions ended long ago)."""
    from rapport.portal.models import PortalLink

    cutoff = timezone.now() - timedelta(days=30)
    deleted, _ = PortalLink.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def task_results_prune() -> int:
    """Delete finished background-task rows older than 7 days."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted


JOBS: list[Callable[[], int]] = [portal_links_prune, task_results_prune]


def tick_run() -> dict[str, int]:
    """Run every periodic job; one failing job does not stop the others."""
    results: dict[str, int] = {}
    for job in JOBS:
        try:
            results[job.__name__] = job()
        except Exception:
            logger.exception("periodic job %s failed", job.__name__)
            results[job.__name__] = -1
    return results
