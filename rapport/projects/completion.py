"""Marking a milestone done while some of its deliverables are still pending (P06, P12).

Done with work still open is a decision the provider takes knowingly: the page lists what is
pending before it records anything, and offers to tell the client in a short notice, so the
client does not learn it from a "done" badge in the portal.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.core.errors import ApplicationError
from rapport.notifications.services import notification_queue
from rapport.projects.models import Deliverable, Milestone
from rapport.projects.services import milestone_complete

NOTE_MAX = 1000


def milestone_pending_deliverables(*, milestone: Milestone) -> list[Deliverable]:
    """The milestone's current deliverables not yet delivered, in the order they were added."""
    return list(
        milestone.deliverables.filter(
            archived_at__isnull=True, status=Deliverable.Status.PENDING
        ).order_by("id")
    )


@transaction.atomic
def milestone_done_with_pending(
    *, milestone: Milestone, actor: User | None, contacts: list[Contact], note: str = ""
) -> Milestone:
    """Mark ``milestone`` done although deliverables are pending (the provider confirmed it),
    and queue a notice naming them to each of ``contacts`` (none: nobody is told), in each
    contact's language, in the same transaction as the change."""
    if milestone.archived_at is not None:
        raise ApplicationError(_("This milestone is archived."), field="milestone")
    project = milestone.project
    if any(c.client_id != project.client_id or c.archived_at is not None for c in contacts):
        raise ApplicationError(_("Choose contacts of this client."), field="contacts")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(
            _("Keep the note under %(count)s characters.") % {"count": NOTE_MAX}, field="note"
        )
    pending = milestone_pending_deliverables(milestone=milestone)
    was_done = milestone.is_done
    milestone_complete(milestone=milestone, actor=actor)
    if was_done:
        return milestone
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="milestone_done",
            context={
                "milestone": milestone,
                "project": project,
                "pending": [d.title for d in pending],
                "note": note,
            },
            subject=milestone,
            # One notice per contact per milestone, however often the button is pressed.
            dedupe_key=f"milestone_done:{milestone.pk}:{contact.pk}",
        )
    return milestone
