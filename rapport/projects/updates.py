"""Progress updates to the client (P12, P29): a pre-filled draft, one-click "no big news",
sent to the chosen contacts in their language through their channel, and shown in the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alerts_resolve_for, notification_queue
from rapport.projects.cadence import update_commitment_ensure
from rapport.projects.models import Milestone, Project, ProjectUpdate


@dataclass
class UpdateDraft:
    progressed: list[Milestone]
    next_up: list[Milestone]
    at_risk: list[Milestone]
    text: str


def update_draft(*, project: Project, today: date) -> UpdateDraft:
    """What happened since the last update, what is next, the next dates and any risk."""
    last = project.updates.filter(archived_at__isnull=True).order_by("-sent_at").first()
    since = last.sent_at if last else project.created_at
    touched_ids = set(
        TimelineEvent.objects.filter(
            client_id=project.client_id,
            subject_type="milestone",
            verb__in=["milestone.progressed", "milestone.done"],
            created_at__gte=since,
        ).values_list("subject_id", flat=True)
    )
    milestones = list(
        Milestone.objects.filter(project=project, archived_at__isnull=True).order_by(
            "due_date", "id"
        )
    )
    progressed = [m for m in milestones if m.pk in touched_ids]
    next_up = [m for m in milestones if not m.is_done][:3]
    at_risk_ids = set(
        Alert.objects.filter(
            kind=Alert.Kind.DEADLINE_AT_RISK,
            state=Alert.State.OPEN,
            subject_type="milestone",
            subject_id__in=[m.pk for m in milestones],
        ).values_list("subject_id", flat=True)
    )
    at_risk = [m for m in milestones if m.pk in at_risk_ids]
    lines: list[str] = []
    if progressed:
        lines.append(_("Since the last update:"))
        lines += [
            f"- {m.title}: {m.progress}%" + (f" ({_('done')})" if m.is_done else "")
            for m in progressed
        ]
    if next_up:
        lines.append(_("Next:"))
        lines += [f"- {m.title} ({m.due_date.isoformat()})" for m in next_up]
    if at_risk:
        lines.append(_("At risk, and what we are doing about it:"))
        lines += [f"- {m.title}: " for m in at_risk]
    return UpdateDraft(
        progressed=progressed, next_up=next_up, at_risk=at_risk, text="\n".join(lines)
    )


@transaction.atomic
def update_send(
    *,
    project: Project,
    actor: User | None,
    contacts: list[Contact],
    body: str = "",
    no_big_news: bool = False,
) -> ProjectUpdate:
    """Send a progress update to ``contacts`` and keep the update that was due.

    With ``no_big_news`` the text is the standard "no big news, work is going on" in each
    contact's language, followed by the current state of the milestones.
    """
    if not contacts:
        raise ApplicationError(_("Choose at least one contact."), field="contacts")
    if any(c.client_id != project.client_id or c.archived_at is not None for c in contacts):
        raise ApplicationError(_("Choose contacts of this client."), field="contacts")
    if not no_big_news and not body.strip():
        raise ApplicationError(_("Write the update, or send “no big news”."), field="body")
    now = timezone.now()
    update = ProjectUpdate.objects.create(
        workspace_id=project.workspace_id,
        project=project,
        author=actor,
        body=body.strip(),
        no_big_news=no_big_news,
        sent_at=now,
    )
    update.contacts.set(contacts)
    milestones = list(
        Milestone.objects.filter(project=project, archived_at__isnull=True).order_by(
            "due_date", "id"
        )
    )
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="progress_update",
            context={"project": project, "update": update, "milestones": milestones},
            subject=update,
            dedupe_key=f"update:{update.pk}:{contact.pk}",
        )
    for commitment in Commitment.objects.filter(
        project=project, kind=Commitment.Kind.UPDATE, state=Commitment.State.OPEN
    ).select_related("client"):
        commitment_keep(commitment=commitment, actor=actor, now=now)
        alerts_resolve_for(subject=commitment, kinds=[Alert.Kind.UPDATE_DUE])
    update_commitment_ensure(project, actor=actor)
    timeline_record(
        client=project.client,
        verb="update.sent",
        actor=actor,
        subject=update,
        data={"title": project.title, "names": ", ".join(c.name for c in contacts)},
    )
    return update
