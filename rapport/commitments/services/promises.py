"""Promises made in words, and the client's confirmation of them in the portal (P17)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services.ledger import commitment_open
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_date
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

if TYPE_CHECKING:
    from rapport.projects.models import Project


@transaction.atomic
def promise_create(
    *, client: Client, actor: User, wording: str, due_at: datetime, project: Project | None = None
) -> Commitment:
    """Record a promise made in words, with the wording the client saw."""
    if not wording.strip():
        raise ApplicationError(_("Write the promise as the client heard it."), field="wording")
    if len(wording) > 500:
        raise ApplicationError(_("At most 500 characters."), field="wording")
    if due_at <= timezone.now():
        raise ApplicationError(_("The promise must be due in the future."), field="due_at")
    check_date(due_at, field="due_at")
    if project is not None and project.client_id != client.pk:
        raise ApplicationError(_("This project belongs to another client."), field="project")
    commitment, _created = commitment_open(
        client=client,
        kind=Commitment.Kind.PROMISE,
        wording=wording.strip(),
        due_at=due_at,
        owner=actor,
        project=project,
        actor=actor,
    )
    return commitment


@transaction.atomic
def promise_request_confirmation(
    *, commitment: Commitment, contact: Contact, actor: User | None
) -> None:
    """Send the promise to the contact to confirm in the portal ("we agreed: …, by …")."""
    if commitment.kind != Commitment.Kind.PROMISE or not commitment.is_open:
        raise ApplicationError(
            _("Only an open promise can be sent for confirmation."), field="commitment"
        )
    if contact.client_id != commitment.client_id or contact.archived_at is not None:
        raise ApplicationError(_("Choose a contact of this client."), field="contact")
    notification_queue(
        contact=contact,
        template="promise_confirm",
        context={"commitment": commitment},
        subject=commitment,
    )
    Commitment.objects.filter(pk=commitment.pk).update(confirmation_requested_at=timezone.now())
    timeline_record(
        client=commitment.client,
        verb="promise.confirmation_requested",
        actor=actor,
        subject=commitment,
        data={"name": contact.name, "wording": commitment.wording_data},
    )


@transaction.atomic
def promise_confirm(*, commitment: Commitment, contact: Contact) -> Commitment:
    """The client confirms in the portal that they understood the promise the same way."""
    if commitment.client_id != contact.client_id or commitment.kind != Commitment.Kind.PROMISE:
        raise ApplicationError(_("No such promise."), code="not_found")
    if commitment.confirmed_at is None:
        commitment.confirmed_at = timezone.now()
        commitment.confirmed_by = contact
        commitment.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
        timeline_record(
            client=commitment.client,
            verb="promise.confirmed",
            actor_contact=contact,
            subject=commitment,
            data={"name": contact.name, "wording": commitment.wording_data},
        )
        alert_raise(
            workspace=commitment.workspace_id,
            kind=Alert.Kind.PROMISE_CONFIRMED,
            dedupe_key=f"promise_confirmed:{commitment.pk}",
            client=commitment.client,
            assignee=commitment.owner_id,
            subject=commitment,
            data={"name": contact.name, "wording": commitment.wording_data},
            severity=Alert.Severity.INFO,
        )
    return commitment
