"""Writes to the commitment ledger (P15, P16, P17).

Milestones, requests and update cadences keep their commitments in step through the ``*_sync``
functions, called by their own services in the same transaction. Promises are written by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.core.clock import end_of_day
from rapport.core.errors import ApplicationError
from rapport.core.timeline import NewEvent, timeline_record, timeline_record_many
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

if TYPE_CHECKING:
    # Projects and requests sit above the ledger: their rows are passed in, never imported
    # at run time.
    from rapport.conversations.models import Request
    from rapport.projects.models import Milestone, Project


def _due_text(due_at: datetime) -> str:
    """Stored as ISO; the timeline shows it in each reader's format and time zone."""
    return due_at.isoformat()


def commitment_open(
    *,
    client: Client,
    kind: str,
    wording: str,
    due_at: datetime,
    owner: User | int | None = None,
    project: Project | None = None,
    milestone: Milestone | None = None,
    request: Request | None = None,
    dedupe_key: str | None = None,
    actor: User | None = None,
    key_is_new: bool = False,
) -> tuple[Commitment, bool]:
    """Open a commitment; with ``dedupe_key`` a second call returns the first one.

    ``key_is_new``: the caller knows no row can hold this key yet (it names an object created
    in this transaction), so neither the lookup nor the savepoint guarding the insert is needed.
    """
    owner_id = owner if isinstance(owner, int) or owner is None else owner.pk
    row = Commitment(
        workspace_id=client.workspace_id,
        client=client,
        project=project,
        milestone=milestone,
        request=request,
        kind=kind,
        wording=wording[:500],
        due_at=due_at,
        owner_id=owner_id if owner_id is not None else client.account_owner_id,
        dedupe_key=dedupe_key,
    )
    if key_is_new:
        row.save(force_insert=True)
        commitment = row
    else:
        if dedupe_key:
            existing = Commitment.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing, False
        try:
            with transaction.atomic():
                row.save(force_insert=True)
                commitment = row
        except IntegrityError:
            return Commitment.objects.get(dedupe_key=dedupe_key), False
    timeline_record(
        client=client,
        verb="commitment.created",
        actor=actor,
        subject=commitment,
        data={"wording": commitment.wording, "due": _due_text(due_at)},
    )
    return commitment, True


def commitments_open_many(
    *, rows: Sequence[Commitment], actor: User | None = None
) -> list[Commitment]:
    """Open the commitments ``rows`` (unsaved, each with its ``dedupe_key``) whose key no
    stored commitment holds, each with its timeline event; returns the ones opened.

    The bulk form of :func:`commitment_open` for the tick, in a fixed number of queries: a
    second call with the same keys opens nothing, and the unique key decides against a
    concurrent tick.
    """
    if any(not row.dedupe_key for row in rows):
        raise ValueError("commitments_open_many needs a dedupe_key on every row")
    keys = [row.dedupe_key for row in rows]
    stored = set(
        Commitment.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    new = [row for row in rows if row.dedupe_key not in stored]
    for row in new:
        row.wording = row.wording[:500]
    Commitment.objects.bulk_create(new, ignore_conflicts=True)
    opened = list(
        Commitment.objects.filter(dedupe_key__in=[row.dedupe_key for row in new]).only(
            "pk", "workspace_id", "client_id", "wording", "due_at"
        )
    )
    timeline_record_many(
        verb="commitment.created",
        events=[
            NewEvent(
                workspace_id=c.workspace_id,
                client_id=c.client_id,
                subject=c,
                data={"wording": c.wording, "due": _due_text(c.due_at)},
            )
            for c in opened
        ],
        actor=actor,
    )
    return opened


def _close(
    commitment: Commitment,
    state: str,
    *,
    actor: User | None,
    verb: str,
    now: datetime | None = None,
) -> bool:
    """Move an open commitment to ``state`` (conditional: a concurrent close wins once)."""
    now = now or timezone.now()
    changed = Commitment.objects.filter(pk=commitment.pk, state=Commitment.State.OPEN).update(
        state=state, resolved_at=now, updated_at=now
    )
    if changed:
        commitment.state = state
        commitment.resolved_at = now
        timeline_record(
            client=commitment.client,
            verb=verb,
            actor=actor,
            subject=commitment,
            data={"wording": commitment.wording},
        )
    return bool(changed)


@transaction.atomic
def commitment_keep(
    *, commitment: Commitment, actor: User | None, now: datetime | None = None
) -> bool:
    """Record a commitment as kept. A commitment already broken stays broken."""
    return _close(commitment, Commitment.State.KEPT, actor=actor, verb="commitment.kept", now=now)


@transaction.atomic
def commitment_cancel(*, commitment: Commitment, actor: User | None) -> bool:
    return _close(commitment, Commitment.State.CANCELLED, actor=actor, verb="commitment.cancelled")


def commitment_break(*, commitment: Commitment, now: datetime) -> bool:
    """Past due without being kept or renegotiated: broken (P15). Used by the scanner."""
    return _close(
        commitment, Commitment.State.BROKEN, actor=None, verb="commitment.broken", now=now
    )


@transaction.atomic
def commitment_renegotiate(
    *,
    commitment: Commitment,
    actor: User | None,
    new_due_at: datetime,
    reason: str,
    told_via: str,
    told_at: datetime | None = None,
    dedupe_key: str | None = None,
) -> Commitment:
    """Move an open commitment to a new date, with the reason and how the client was told.

    The old row becomes ``renegotiated`` and points to a new open one; the history stays.
    """
    if not commitment.is_open:
        raise ApplicationError(
            _("Only an open commitment can be renegotiated."), field="commitment"
        )
    if not reason.strip():
        raise ApplicationError(_("Say why the date moves."), field="reason")
    if told_via not in Commitment.ToldVia.values:
        raise ApplicationError(_("Say how the client was told."), field="told_via")
    now = timezone.now()
    if new_due_at <= now:
        raise ApplicationError(_("The new date must be in the future."), field="new_due_at")
    old_key = commitment.dedupe_key
    # Free the key so that the new row can carry the source's key for its new date.
    Commitment.objects.filter(pk=commitment.pk).update(dedupe_key=None)
    new, _created = commitment_open(
        client=commitment.client,
        kind=commitment.kind,
        wording=commitment.wording,
        due_at=new_due_at,
        owner=commitment.owner_id,
        project=commitment.project,
        milestone=commitment.milestone,
        request=commitment.request,
        dedupe_key=dedupe_key or (f"{old_key}:r{commitment.pk}" if old_key else None),
        actor=actor,
    )
    commitment.state = Commitment.State.RENEGOTIATED
    commitment.resolved_at = now
    commitment.replaced_by = new
    commitment.reason = reason.strip()[:500]
    commitment.told_at = told_at or now
    commitment.told_via = told_via
    commitment.dedupe_key = None
    commitment.save()
    timeline_record(
        client=commitment.client,
        verb="commitment.renegotiated",
        actor=actor,
        subject=commitment,
        data={
            "wording": commitment.wording,
            "due": _due_text(new_due_at),
            "reason": commitment.reason,
        },
    )
    return new


# --- Milestones (P15) -------------------------------------------------------------------------


def milestone_due_at(milestone: Milestone) -> datetime:
    return end_of_day(milestone.due_date, milestone.project.client.workspace.timezone)


def milestone_commitment_sync(
    milestone: Milestone, *, actor: User | None, created: bool = False
) -> Commitment | None:
    """Keep the milestone's commitment in step with the milestone.

    Open while the milestone is open; kept when it is done; cancelled when it is archived; a
    new due date without a delay notice renegotiates it with "date edited" (the client was not
    told through Rapport, so ``told_via`` is "other"). ``created``: the milestone was inserted
    in this transaction, so it has no commitment yet and nothing needs to be looked up.
    """
    current = (
        None
        if created
        else Commitment.objects.filter(
            milestone=milestone, kind=Commitment.Kind.MILESTONE, state=Commitment.State.OPEN
        )
        .select_related("client")
        .first()
    )
    if milestone.archived_at is not None:
        if current is not None:
            commitment_cancel(commitment=current, actor=actor)
        return None
    if milestone.is_done:
        if current is not None:
            commitment_keep(commitment=current, actor=actor)
        return current
    due_at = milestone_due_at(milestone)
    key = f"milestone:{milestone.pk}:{milestone.due_date.isoformat()}"
    if current is None:
        if (
            not created
            and Commitment.objects.filter(dedupe_key=key)
            .exclude(state=Commitment.State.OPEN)
            .exists()
        ):
            return None  # already kept or broken for this date: a reopened milestone keeps history
        commitment, _created = commitment_open(
            client=milestone.project.client,
            kind=Commitment.Kind.MILESTONE,
            wording=milestone.title,
            due_at=due_at,
            owner=milestone.owner_id,
            project=milestone.project,
            milestone=milestone,
            dedupe_key=key,
            actor=actor,
            key_is_new=created,
        )
        return commitment
    if current.due_at != due_at:
        if due_at <= timezone.now():
            # Moving a deadline into the past is not a renegotiation: record it as broken.
            commitment_break(commitment=current, now=timezone.now())
            return None
        return commitment_renegotiate(
            commitment=current,
            actor=actor,
            new_due_at=due_at,
            reason=_("due date edited"),
            told_via=Commitment.ToldVia.OTHER,
            dedupe_key=key,
        )
    if current.wording != milestone.title:
        Commitment.objects.filter(pk=current.pk).update(wording=milestone.title[:500])
    return current


# --- Promises (P17) ---------------------------------------------------------------------------


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
        data={"name": contact.name, "wording": commitment.wording},
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
            data={"name": contact.name, "wording": commitment.wording},
        )
        alert_raise(
            workspace=commitment.workspace_id,
            kind=Alert.Kind.PROMISE_CONFIRMED,
            dedupe_key=f"promise_confirmed:{commitment.pk}",
            client=commitment.client,
            assignee=commitment.owner_id,
            subject=commitment,
            data={"name": contact.name, "wording": commitment.wording},
            severity=Alert.Severity.INFO,
        )
    return commitment
