"""Writes for deliverables: the written spec and agreed format (P06) and the revision policy
(P08). Each write leaves a timeline event."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rapport.accounts.models import User
from rapport.core.services import model_assign, model_validate
from rapport.core.timeline import timeline_record
from rapport.projects.models import Deliverable, Milestone
from rapport.projects.revision_policy import revision_policy_check
from rapport.projects.writes import refuse_unknown, set_archived

DELIVERABLE_FIELDS = (
    "title",
    "spec",
    "format",
    "status",
    "revision_free_rounds",
    "revision_hourly_rate",
)


def _deliverable_clean(deliverable: Deliverable) -> None:
    deliverable.title = deliverable.title.strip()
    deliverable.spec = deliverable.spec.strip()
    deliverable.format = deliverable.format.strip()
    # P08: the revision policy (free rounds, then an hourly rate in the project's currency).
    deliverable.revision_free_rounds, deliverable.revision_hourly_rate = revision_policy_check(
        free_rounds=deliverable.revision_free_rounds,
        rate=deliverable.revision_hourly_rate,
        currency=deliverable.milestone.project.currency,
    )
    model_validate(deliverable, exclude=["workspace", "milestone"])


@transaction.atomic
def deliverable_create(*, milestone: Milestone, actor: User | None, **data: Any) -> Deliverable:
    """Add a deliverable with its written spec and agreed format (P06)."""
    refuse_unknown(data, DELIVERABLE_FIELDS)
    deliverable = Deliverable(workspace_id=milestone.workspace_id, milestone=milestone)
    model_assign(deliverable, fields=DELIVERABLE_FIELDS, data=data)
    _deliverable_clean(deliverable)
    deliverable.save()
    timeline_record(
        client=milestone.project.client,
        verb="deliverable.created",
        actor=actor,
        subject=deliverable,
        data={"title": deliverable.title},
    )
    return deliverable


@transaction.atomic
def deliverable_update(*, deliverable: Deliverable, actor: User | None, **data: Any) -> Deliverable:
    refuse_unknown(data, DELIVERABLE_FIELDS)
    changed = model_assign(deliverable, fields=DELIVERABLE_FIELDS, data=data)
    _deliverable_clean(deliverable)
    if changed:
        deliverable.save()
        timeline_record(
            client=deliverable.milestone.project.client,
            verb="deliverable.updated",
            actor=actor,
            subject=deliverable,
            data={"title": deliverable.title, "fields": ", ".join(changed)},
        )
    return deliverable


@transaction.atomic
def deliverable_archive(*, deliverable: Deliverable, actor: User | None) -> Deliverable:
    if set_archived(deliverable, True):
        timeline_record(
            client=deliverable.milestone.project.client,
            verb="deliverable.archived",
            actor=actor,
            subject=deliverable,
            data={"title": deliverable.title},
        )
    return deliverable


@transaction.atomic
def deliverable_restore(*, deliverable: Deliverable, actor: User | None) -> Deliverable:
    if set_archived(deliverable, False):
        timeline_record(
            client=deliverable.milestone.project.client,
            verb="deliverable.restored",
            actor=actor,
            subject=deliverable,
            data={"title": deliverable.title},
        )
    return deliverable
