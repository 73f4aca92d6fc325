"""The tick and emails run on the default database backend and on the Redis/RQ backend."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from rapport.core.tasks import tick


def _redis_available(url: str) -> bool:
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        return False
    return True


@pytest.mark.django_db(transaction=True)
def test_tick_through_the_database_backend() -> None:
    from django_tasks_db.models import DBTaskResult

    result = tick.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "READY"
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert "portal_links_prune" in str(row.return_value)


@pytest.mark.django_db(transaction=True)
def test_tick_through_redis_rq() -> None:
    url = f"{settings.TASKS_REDIS_URL.rsplit('/', 1)[0]}/9"
    if not _redis_available(url):
        pytest.fail(f"Redis is not reachable at {url}; CI starts it (scripts/test.sh)")
    queue_name = f"rapport-test-{uuid.uuid4().hex[:8]}"
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue_name]}},
        RQ_QUEUES={queue_name: {"URL": url}},
        INSTALLED_APPS=[*settings.INSTALLED_APPS, "django_rq"],
    ):
        import django_rq
        from django_tasks_rq import Job
        from rq import SimpleWorker

        result = tick.using(queue_name=queue_name).enqueue()
        queue = django_rq.get_queue(queue_name, job_class=Job)
        assert queue.count == 1
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        job = Job.fetch(result.id, connection=queue.connection)
        assert job.get_status() == "finished"
        assert "portal_links_prune" in str(job.return_value())
        queue.connection.delete(*queue.connection.keys(f"rq:*{queue_name}*") or ["_"])
