"""The moment of delivery (P30, P34): stamped once as the work is handed over, announced to
the care app by ``project_delivered``, cleared if the project goes back to work."""

from __future__ import annotations

from typing import Any

from rapport.conftest import Persona
from rapport.projects.models import Project
from rapport.projects.services import project_create, project_update
from rapport.projects.signals import project_delivered, project_reopened


def test_delivery_is_stamped_and_announced_once(alice: Persona, website: Project) -> None:
    heard: list[dict[str, Any]] = []

    def receiver(sender: type[Project], **kwargs: Any) -> None:
        heard.append(kwargs)

    project_delivered.connect(receiver)
    try:
        assert website.delivered_at is None
        project_update(project=website, actor=alice.user, status=Project.Status.DELIVERED)
        stamped = website.delivered_at
        assert stamped is not None
        # Closing a delivered project is not a second delivery.
        project_update(project=website, actor=alice.user, status=Project.Status.CLOSED)
        assert website.delivered_at == stamped
        assert [h["project"].pk for h in heard] == [website.pk]
        assert heard[0]["actor"] == alice.user
        # Back to work: no longer delivered; handed over again, a new moment and signal.
        project_update(project=website, actor=alice.user, status=Project.Status.ACTIVE)
        assert website.delivered_at is None
        project_update(project=website, actor=alice.user, status=Project.Status.CLOSED)
        assert website.delivered_at is not None and len(heard) == 2
    finally:
        project_delivered.disconnect(receiver)
    website.refresh_from_db()
    assert website.delivered_at is not None


def test_a_project_recorded_as_delivered_is_stamped_without_a_signal(
    alice: Persona, website: Project
) -> None:
    heard: list[object] = []

    def receiver(sender: type[Project], **kwargs: Any) -> None:
        heard.append(kwargs)

    project_delivered.connect(receiver)
    try:
        old = project_create(
            client=website.client, actor=alice.user, title="Old logo", status="delivered"
        )
    finally:
        project_delivered.disconnect(receiver)
    assert old.delivered_at is not None and heard == []


def test_going_back_to_work_is_announced(alice: Persona, website: Project) -> None:
    heard: list[dict[str, Any]] = []

    def receiver(sender: type[Project], **kwargs: Any) -> None:
        heard.append(kwargs)

    project_reopened.connect(receiver)
    try:
        project_update(project=website, actor=alice.user, status=Project.Status.ACTIVE)
        assert heard == []  # it was never delivered
        project_update(project=website, actor=alice.user, status=Project.Status.DELIVERED)
        project_update(project=website, actor=alice.user, title="New website, phase 2")
        assert heard == []
        project_update(project=website, actor=alice.user, status=Project.Status.ON_HOLD)
    finally:
        project_reopened.disconnect(receiver)
    assert [(h["project"].pk, h["actor"]) for h in heard] == [(website.pk, alice.user)]
    assert website.delivered_at is None
