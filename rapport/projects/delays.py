"""Telling the client about a delay early, with a new date (P16)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_renegotiate, milestone_due_at
from rapport.core.errors import ApplicationError
from rapport.core.formatting import date_text
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alerts_resolve_for, notification_queue
from rapport.projects.models import Milestone


@transaction.atomic
def delay_notice_send(
    *,
    milestone: Milestone,
    actor: User | None,
    new_due_date: date,
    reason: str,
    plan: str,
    contacts: list[Contact],
) -> Commitment:
    """Move the milestone to ``new_due_date``, tell ``contacts`` why and what is being done,
    and renegotiate its commitment (the client was told by this notification)."""
    project = milestone.project
    if milestone.is_done or milestone.archived_at is not None:
        raise ApplicationError(_("This milestone is no longer open."), field="milestone")
    if new_due_date <= milestone.due_date:
        raise ApplicationError(
            _("The new date must be after the current one."), field="new_due_date"
        )
    if project.due_date and new_due_date > project.due_date:
        raise ApplicationError(
            _("The project is due %(date)s; move the project's date first.")
            % {"date": date_text(project.due_date)},
            field="new_due_date",
        )
    if not reason.strip():
        raise ApplicationError(_("Tell the client why."), field="reason")
    if not plan.strip():
        raise ApplicationError(_("Tell the client what you are doing about it."), field="plan")
    if not contacts:
        raise ApplicationError(_("Choose at least one contact."), field="contacts")
    if any(c.client_id != project.client_id or c.archived_at is not None for c in contacts):
        raise ApplicationError(_("Choose contacts of this client."), field="contacts")
    commitment = (
        Commitment.objects.filter(
            milestone=milestone, kind=Commitment.Kind.MILESTONE, state=Commitment.State.OPEN
        )
        .select_related("client")
        .first()
    )
    if commitment is None:
        raise ApplicationError(
            _("This deadline has no open commitment (already missed?)."), field="milestone"
        )
    old_due = milestone.due_date
    milestone.due_date = new_due_date
    milestone.save(update_fields=["due_date", "updated_at"])
    renewed = commitment_renegotiate(
        commitment=commitment,
        actor=actor,
        new_due_at=milestone_due_at(milestone),
        reason=reason,
        told_via=Commitment.ToldVia.NOTIFICATION,
        dedupe_key=f"milestone:{milestone.pk}:{new_due_date.isoformat()}",
    )
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="delay_notice",
            context={
                "milestone": milestone,
                "project": project,
                "old_due": old_due,
                "new_due": new_due_date,
                "reason": reason.strip(),
                "plan": plan.strip(),
            },
            subject=milestone,
        )
    alerts_resolve_for(subject=milestone, kinds=[Alert.Kind.DEADLINE_AT_RISK])
    timeline_record(
        client=project.client,
        verb="delay.notified",
        actor=actor,
        subject=milestone,
        data={"title": milestone.title, "due": new_due_date.isoformat()},
    )
    return renewed
