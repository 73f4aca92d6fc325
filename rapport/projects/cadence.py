"""Progress updates on the cadence agreed with the client (P12): the next "update due" date."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from rapport.accounts.models import User
from rapport.commitments.models import Commitment
from rapport.commitments.services import (
    commitment_open,
    commitment_supersede,
    commitments_open_many,
)
from rapport.core.clock import end_of_day
from rapport.core.texts import text_ref
from rapport.projects.models import Project, ProjectUpdate

INTERVAL_DAYS = {
    Project.Cadence.WEEKLY: 7,
    Project.Cadence.BIWEEKLY: 14,
    Project.Cadence.MONTHLY: 28,
}
# An update sent up to this many days before its day counts for that day.
EARLY_DAYS = 4


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def next_update_date(project: Project, *, today: date, last_sent: date | None) -> date | None:
    """The next day an update is owed, or None when the project has no cadence.

    An update sent in the few days before its day (or after missing it) covers that day; the
    next one is owed one interval later. Never before ``today`` or the project's start.
    """
    if project.update_cadence not in INTERVAL_DAYS:
        return None
    interval = INTERVAL_DAYS[Project.Cadence(project.update_cadence)]
    earliest = max(today, project.start_date or today)
    if last_sent is None:
        return _on_or_after(earliest, project.update_weekday)
    covered = _on_or_after(last_sent, project.update_weekday)
    if (covered - last_sent).days > EARLY_DAYS:
        covered -= timedelta(days=7)  # a late update: it answers the day just missed
    following = covered + timedelta(days=interval)
    return max(following, _on_or_after(earliest, project.update_weekday))


def update_commitment_ensure(
    project: Project, *, actor: User | None, today: date | None = None
) -> Commitment | None:
    """Make sure an active project with a cadence has exactly one open "update due" commitment.

    Idempotent: the commitment's key is the project and the date.
    """
    open_updates = list(
        Commitment.objects.filter(
            project=project, kind=Commitment.Kind.UPDATE, state=Commitment.State.OPEN
        )
    )
    wanted = project.status == Project.Status.ACTIVE and project.archived_at is None
    tz = project.client.workspace.timezone
    today = today or timezone.localtime(timezone.now(), timezone=zoneinfo.ZoneInfo(tz)).date()
    last = (
        ProjectUpdate.objects.filter(project=project, archived_at__isnull=True)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    last_sent = timezone.localtime(last, timezone=zoneinfo.ZoneInfo(tz)).date() if last else None
    due_date = next_update_date(project, today=today, last_sent=last_sent) if wanted else None
    keep = None
    for commitment in open_updates:
        if due_date is not None and commitment.dedupe_key == _key(project, due_date):
            keep = commitment
        else:
            commitment_supersede(commitment=commitment, actor=actor)
    if keep is not None or due_date is None:
        return keep
    commitment, _created = commitment_open(
        client=project.client,
        kind=Commitment.Kind.UPDATE,
        wording=text_ref("commitment.update", title=project.title),
        due_at=end_of_day(due_date, tz),
        project=project,
        dedupe_key=_key(project, due_date),
        actor=actor,
    )
    return commitment


def _key(project: Project, day: date) -> str:
    return f"update:{project.pk}:{day.isoformat()}"


def update_commitments_roll_on(projects: list[Project], *, now: datetime) -> int:
    """After missed updates: open each project's next "update due" commitment, in bulk.

    The tick's counterpart of ``update_commitment_ensure`` for many projects at once (a few
    queries in all, not a few per project). Projects that already have an open one, or no
    longer have a cadence, are left alone. Returns how many commitments were opened.
    """
    by_id = {
        p.pk: p
        for p in projects
        if p.status == Project.Status.ACTIVE
        and p.archived_at is None
        and p.update_cadence in INTERVAL_DAYS
    }
    if not by_id:
        return 0
    still_open = set(
        Commitment.objects.filter(
            project_id__in=by_id, kind=Commitment.Kind.UPDATE, state=Commitment.State.OPEN
        ).values_list("project_id", flat=True)
    )
    last_sent = dict(
        ProjectUpdate.objects.filter(project_id__in=by_id, archived_at__isnull=True)
        .values("project_id")
        .annotate(last=Max("sent_at"))
        .values_list("project_id", "last")
    )
    rows = []
    for project in by_id.values():
        if project.pk in still_open:
            continue
        tz = project.client.workspace.timezone
        zone = zoneinfo.ZoneInfo(tz)
        last = last_sent.get(project.pk)
        due = next_update_date(
            project,
            today=timezone.localtime(now, timezone=zone).date(),
            last_sent=timezone.localtime(last, timezone=zone).date() if last else None,
        )
        if due is None:
            continue
        rows.append(
            Commitment(
                workspace_id=project.workspace_id,
                client_id=project.client_id,
                project=project,
                kind=Commitment.Kind.UPDATE,
                wording_ref=text_ref("commitment.update", title=project.title),
                due_at=end_of_day(due, tz),
                owner_id=project.client.account_owner_id,
                dedupe_key=_key(project, due),
            )
        )
    return len(commitments_open_many(rows=rows))
