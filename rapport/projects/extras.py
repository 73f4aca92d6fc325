"""Extras (P18): a little more than agreed, planned with what it costs us, delivered, and told
to the client once, in the next progress update ("We also …").

Writes and reads of ``Extra``; the update itself marks the extras it reported
(``projects.updates.update_send``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.projects.models import Extra, Project

MAX_HOURS = Decimal("1000")
MAX_AMOUNT = Decimal("1000000")


@transaction.atomic
def extra_plan(
    *,
    project: Project,
    actor: User | None,
    title: str,
    cost_hours: Decimal | None = None,
    cost_amount: Decimal | None = None,
) -> Extra:
    """Plan an extra for ``project``. Refused, naming the field: an empty or over-long
    ``title``; no cost at all (``cost_hours``: say what it costs us, in hours or money); a
    cost that is not above zero or beyond the limits. Writes a timeline event."""
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("Say what you will do beyond the agreement."), field="title")
    if len(title) > 200:
        raise ApplicationError(_("At most 200 characters."), field="title")
    if cost_hours is None and cost_amount is None:
        raise ApplicationError(_("Say what it costs us, in hours or in money."), field="cost_hours")
    if cost_hours is not None and not Decimal(0) < cost_hours <= MAX_HOURS:
        raise ApplicationError(_("Between 0 and 1000 hours."), field="cost_hours")
    if cost_amount is not None and not Decimal(0) < cost_amount <= MAX_AMOUNT:
        raise ApplicationError(_("Above zero and at most 1,000,000."), field="cost_amount")
    extra = Extra.objects.create(
        workspace_id=project.workspace_id,
        project=project,
        title=title,
        cost_hours=cost_hours,
        cost_amount=cost_amount,
        created_by=actor,
    )
    timeline_record(
        client=project.client,
        verb="extra.planned",
        actor=actor,
        subject=extra,
        data={"title": extra.title, "project": project.title},
    )
    return extra


@transaction.atomic
def extra_deliver(*, extra: Extra, actor: User | None) -> bool:
    """Mark the extra delivered; the next progress update tells the client. True when it
    changed (a second call does nothing)."""
    changed = Extra.objects.filter(pk=extra.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now(), updated_at=timezone.now()
    )
    if changed:
        extra.refresh_from_db(fields=["delivered_at", "updated_at"])
        timeline_record(
            client=extra.project.client,
            verb="extra.delivered",
            actor=actor,
            subject=extra,
            data={"title": extra.title, "project": extra.project.title},
        )
    return bool(changed)


def project_extras(*, project: Project) -> list[Extra]:
    """Every extra of the project, oldest first (one query)."""
    return list(Extra.objects.filter(workspace_id=project.workspace_id, project=project))


def extras_to_report(*, project: Project) -> QuerySet[Extra]:
    """Delivered and not yet told to the client: what the next update says we also did."""
    return Extra.objects.filter(
        workspace_id=project.workspace_id,
        project=project,
        delivered_at__isnull=False,
        reported_at__isnull=True,
    ).order_by("delivered_at", "id")


def extra_get(*, workspace: Workspace, pk: int) -> Extra | None:
    return (
        Extra.objects.for_workspace(workspace)
        .select_related("project__client")
        .filter(pk=pk)
        .first()
    )


def client_extra_counts(*, client: Client) -> dict[str, int]:
    """How many extras the client has had delivered, and how many are planned (one query)."""
    return Extra.objects.filter(workspace_id=client.workspace_id, project__client=client).aggregate(
        delivered=Count("id", filter=Q(delivered_at__isnull=False)),
        planned=Count("id", filter=Q(delivered_at__isnull=True)),
    )
