"""A deliverable handed over for review, and the client's approval (P06, P08, P13).

"Deliver" marks a deliverable delivered and tells the chosen contacts, each in their language
through the outbox, with a link into the portal where the files and links are. In the portal
the client approves it (accepted: recorded on the timeline, the provider alerted) or asks for
changes, which is a revision round (``billing.revisions.services.revision_round_request``):
the one way changes are asked for, counted against the free rounds.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue
from rapport.projects.models import Deliverable, DeliverableAttachment

NOTE_MAX = 1000
ALERT_ACCEPTED = Alert.Kind.DELIVERABLE_ACCEPTED


def _locked(deliverable: Deliverable) -> Deliverable:
    return (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("milestone__project__client__workspace")
        .get(pk=deliverable.pk)
    )


def deliverable_portal_url(deliverable: Deliverable, contact: Contact, actor: User | None) -> str:
    """A fresh magic link for ``contact`` that lands on the deliverable in the portal."""
    _link, token = portal_link_create(contact=contact, actor=actor)
    page = reverse("portal:project", args=[deliverable.milestone.project_id])
    return f"{portal_link_url(token)}?next={page}"


@transaction.atomic
def deliverable_deliver(
    *, deliverable: Deliverable, actor: User | None, contacts: list[Contact], note: str = ""
) -> Deliverable:
    """Hand ``deliverable`` over for review: status delivered, the moment recorded, a timeline
    event, and a message to each of ``contacts`` (at least one, of this client) in their own
    language, naming the files and links, with a link into the portal.

    Needs at least one file or link attached. Delivering again (after a round of changes)
    needs something attached since the last delivery, and tells the contacts again; an
    approved deliverable cannot be delivered again.
    """
    deliverable = _locked(deliverable)
    project = deliverable.milestone.project
    if deliverable.archived_at is not None or deliverable.milestone.archived_at is not None:
        raise ApplicationError(_("This deliverable is archived."), field="deliverable")
    if deliverable.status == Deliverable.Status.ACCEPTED:
        raise ApplicationError(
            _("The client has already approved this deliverable."), field="deliverable"
        )
    attachments = list(DeliverableAttachment.objects.filter(deliverable=deliverable))
    if not attachments:
        raise ApplicationError(
            _("Attach a file or a link first: it is what the client reviews."),
            field="deliverable",
        )
    if deliverable.delivered_at is not None and not any(
        a.created_at > deliverable.delivered_at for a in attachments
    ):
        # A second press, or nothing new since: the client was told already.
        raise ApplicationError(
            _("Already delivered: attach the new version to deliver it again."),
            field="deliverable",
        )
    if not contacts:
        raise ApplicationError(_("Choose who to tell."), field="contacts")
    if any(c.client_id != project.client_id or c.archived_at is not None for c in contacts):
        raise ApplicationError(_("Choose contacts of this client."), field="contacts")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(
            _("Keep the note under %(count)s characters.") % {"count": NOTE_MAX}, field="note"
        )
    now = timezone.now()
    deliverable.status = Deliverable.Status.DELIVERED
    deliverable.delivered_at = now
    deliverable.save(update_fields=["status", "delivered_at", "updated_at"])
    timeline_record(
        client=project.client,
        verb="deliverable.delivered",
        actor=actor,
        subject=deliverable,
        data={"title": deliverable.title, "count": len(attachments)},
    )
    for contact in contacts:
        notification_queue(
            contact=contact,
            template="deliverable_delivered",
            context={
                "deliverable": deliverable,
                "project": project,
                "items": [a.name for a in attachments],
                "note": note,
                "portal_url": deliverable_portal_url(deliverable, contact, actor),
            },
            subject=deliverable,
            # Once per contact per delivery (a second press is refused above).
            dedupe_key=f"deliverable_delivered:{deliverable.pk}:{contact.pk}:{now.timestamp()}",
        )
    return deliverable


@transaction.atomic
def deliverable_accept(*, deliverable: Deliverable, contact: Contact) -> Deliverable:
    """The client approves a delivered deliverable (portal): status accepted, by whom and
    when, a timeline event, and an alert to the client's account owner. Refused for another
    client's deliverable (``not_found``) and for one not delivered (or already approved)."""
    deliverable = _locked(deliverable)
    project = deliverable.milestone.project
    if project.client_id != contact.client_id or deliverable.workspace_id != contact.workspace_id:
        raise ApplicationError(_("No such deliverable."), code="not_found")
    if deliverable.status == Deliverable.Status.ACCEPTED:
        raise ApplicationError(_("You have already approved this."), field="deliverable")
    if deliverable.status != Deliverable.Status.DELIVERED:
        raise ApplicationError(
            _("This can be approved once it has been delivered."), field="deliverable"
        )
    deliverable.status = Deliverable.Status.ACCEPTED
    deliverable.accepted_at = timezone.now()
    deliverable.accepted_by = contact
    deliverable.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    data = {"title": deliverable.title, "name": contact.name}
    timeline_record(
        client=project.client,
        verb="deliverable.accepted",
        actor_contact=contact,
        subject=deliverable,
        data=data,
    )
    alert_raise(
        workspace=deliverable.workspace_id,
        kind=ALERT_ACCEPTED,
        dedupe_key=f"deliverable_accepted:{deliverable.pk}",
        client=project.client,
        assignee=project.client.account_owner_id,
        subject=deliverable,
        data={**data, "project": project.title, "project_id": project.pk},
        severity=Alert.Severity.INFO,
    )
    return deliverable
