"""What projects does when the ledger changes (commitments.signals), and when anything a
delay forecast depends on changes (P16).

Connected in ``ProjectsConfig.ready``; each runs in the sender's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from rapport.accounts.models import Membership, Workspace
from rapport.commitments.models import Commitment
from rapport.commitments.signals import commitments_broken
from rapport.projects.cadence import update_commitments_roll_on
from rapport.projects.models import Milestone, Project
from rapport.projects.risk import milestone_risks_refresh, milestones_clear


@receiver(commitments_broken, dispatch_uid="projects.missed_updates_roll_on")
def missed_updates_roll_on(
    sender: type[Commitment], *, commitments: list[Commitment], now: datetime, **kwargs: Any
) -> None:
    """A missed progress update does not end the cadence: each project whose "update due"
    commitment broke gets its next one (P12)."""
    missed = [c for c in commitments if c.kind == Commitment.Kind.UPDATE]
    update_commitments_roll_on([c.project for c in missed if c.project is not None], now=now)


def _project_risks_refresh(project: Project, also: set[int | None] | None = None) -> None:
    """Forecast again the milestones of everyone with work in ``project``: its dates, status
    and milestones shape their windows and their load."""
    if project.status != Project.Status.ACTIVE or project.archived_at is not None:
        milestones_clear(
            milestone_ids=list(project.milestones.values_list("pk", flat=True)),
            workspace_id=project.workspace_id,
        )
        # Its hours no longer weigh on its people's other milestones.
        also = set(also or ()) | set(project.milestones.values_list("owner_id", flat=True))
    milestone_risks_refresh(
        workspace=project.client.workspace, owner_ids=also or (), project_id=project.pk
    )


@receiver(post_save, sender=Milestone, dispatch_uid="projects.milestone_risks")
def milestone_saved(sender: type[Milestone], instance: Milestone, **kwargs: Any) -> None:
    """A milestone's progress, estimate, dates, owner or state changed (P16)."""
    if kwargs.get("raw") or kwargs.get("update_fields") == frozenset({"risk_at"}):
        return
    if instance.is_done or instance.archived_at is not None:
        milestones_clear(milestone_ids=[instance.pk], workspace_id=instance.workspace_id)
    _project_risks_refresh(instance.project, also={instance.owner_id, instance.owner_at_load})
    instance.owner_at_load = instance.owner_id


@receiver(post_save, sender=Project, dispatch_uid="projects.project_risks")
def project_saved(sender: type[Project], instance: Project, created: bool, **kwargs: Any) -> None:
    """A project put on hold, closed or archived has no milestone at risk; resumed, its
    milestones are forecast again (P16)."""
    if created or kwargs.get("raw"):
        return
    _project_risks_refresh(instance)


@receiver(post_save, sender=Membership, dispatch_uid="projects.capacity_risks")
def membership_saved(
    sender: type[Membership], instance: Membership, created: bool, **kwargs: Any
) -> None:
    """A member's weekly capacity changed: their milestones are forecast again (P16)."""
    if created or kwargs.get("raw"):
        return
    milestone_risks_refresh(workspace=instance.workspace, owner_ids=[instance.user_id])


@receiver(post_save, sender=Workspace, dispatch_uid="projects.calendar_risks")
def workspace_saved(
    sender: type[Workspace], instance: Workspace, created: bool, **kwargs: Any
) -> None:
    """Business days, holidays or the warning horizon changed: every open milestone of the
    workspace is forecast again (P16)."""
    if created or kwargs.get("raw"):
        return
    milestone_risks_refresh(workspace=instance)
