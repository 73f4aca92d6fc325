"""Moving a commitment's date, and how the client heard of it (P15, P16, P17).

A due date never moves silently. The old row keeps its date and says how the move reached the
client; a new open row carries the new date:

- ``renegotiated``: the client was told, by a notice Rapport sent (the delay notice,
  ``projects.delays``, or an approved change request) or another way (a call, a meeting, an
  email outside Rapport) with a note of when and how. Neutral in the keeping rate.
- ``moved``: a later date nobody told the client of. Counts as broken.
- ``superseded``: an earlier date (the provider now owes more, not less). Neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.commitments.models import Commitment
from rapport.commitments.services.cancellations import commitment_cancel
from rapport.commitments.services.ledger import (
    commitment_break,
    commitment_keep,
    commitment_open,
    due_text,
)
from rapport.core.clock import end_of_day
from rapport.core.errors import ApplicationError
from rapport.core.texts import TextRef, text_parts, text_ref
from rapport.core.timeline import timeline_record
from rapport.core.validation import check_date

if TYPE_CHECKING:
    from rapport.projects.models import Milestone

TOLD_NOTE_MAX = 300
# The ways one can say the client was told outside Rapport; "Rapport notification" is recorded
# only by a notice that Rapport sent.
TOLD_OUTSIDE_RAPPORT = [
    (value, label)
    for value, label in Commitment.ToldVia.choices
    if value != Commitment.ToldVia.NOTIFICATION
]


@dataclass(frozen=True)
class ClientTold:
    """How the client heard of a new date outside Rapport: ``via`` one of ``ToldVia`` (an
    email, a call, a meeting, other) and ``note``, when and how ("call with Carol on Monday")."""

    via: str
    note: str


def client_told_check(told: ClientTold) -> ClientTold:
    """``told`` with its note trimmed, or an error naming the field at fault.

    "Rapport notification" is not a way one can say the client was told: only a notice that
    Rapport sent (the delay notice, a change request) records it.
    """
    if told.via not in Commitment.ToldVia.values or told.via == Commitment.ToldVia.NOTIFICATION:
        raise ApplicationError(
            _("Say how the client was told: an email, a call, a meeting or another way."),
            field="told_via",
        )
    note = told.note.strip()
    if not note:
        raise ApplicationError(
            _("Note when and how the client was told (e.g. “call with Carol on Monday”)."),
            field="told_note",
        )
    if len(note) > TOLD_NOTE_MAX:
        raise ApplicationError(
            _("At most %(max)s characters.") % {"max": TOLD_NOTE_MAX}, field="told_note"
        )
    return ClientTold(via=told.via, note=note)


def _replace(
    commitment: Commitment,
    *,
    state: str,
    actor: User | None,
    new_due_at: datetime,
    reason: str | TextRef,
    verb: str,
    dedupe_key: str | None,
    told_via: str = "",
    told_at: datetime | None = None,
    told_note: str = "",
) -> Commitment:
    """Close ``commitment`` in ``state`` and open its successor at ``new_due_at``."""
    now = timezone.now()
    old_key = commitment.dedupe_key
    # Free the key so that the new row can carry the source's key for its new date.
    Commitment.objects.filter(pk=commitment.pk).update(dedupe_key=None)
    new, _created = commitment_open(
        client=commitment.client,
        kind=commitment.kind,
        wording=commitment.wording_data,
        due_at=new_due_at,
        owner=commitment.owner_id,
        project=commitment.project,
        milestone=commitment.milestone,
        request=commitment.request,
        dedupe_key=dedupe_key or (f"{old_key}:r{commitment.pk}" if old_key else None),
        actor=actor,
    )
    commitment.state = state
    commitment.resolved_at = now
    commitment.replaced_by = new
    reason_text, commitment.reason_ref = text_parts(reason)
    commitment.reason = reason_text.strip()[:500]
    commitment.told_at = (told_at or now) if told_via else None
    commitment.told_via = told_via
    commitment.told_note = told_note[:TOLD_NOTE_MAX]
    commitment.dedupe_key = None
    commitment.save()
    timeline_record(
        client=commitment.client,
        verb=verb,
        actor=actor,
        subject=commitment,
        data={
            "wording": commitment.wording_data,
            "due": due_text(new_due_at),
            "reason": commitment.reason_data,
        },
    )
    return new


def _check_move(commitment: Commitment, new_due_at: datetime, reason: str | TextRef) -> None:
    if not commitment.is_open:
        raise ApplicationError(
            _("Only an open commitment can move to a new date."), field="commitment"
        )
    if not text_parts(reason)[0].strip():
        raise ApplicationError(_("Say why the date moves."), field="reason")
    if new_due_at <= timezone.now():
        raise ApplicationError(_("The new date must be in the future."), field="new_due_at")
    check_date(new_due_at, field="new_due_at")


@transaction.atomic
def commitment_renegotiate(
    *,
    commitment: Commitment,
    actor: User | None,
    new_due_at: datetime,
    reason: str | TextRef,
    told_via: str,
    told_at: datetime | None = None,
    told_note: str = "",
    dedupe_key: str | None = None,
) -> Commitment:
    """Move an open commitment to a new date the client was told of; returns the new row.

    For the writes that told the client themselves (``told_via`` "notification": the delay
    notice, an approved change request) and for ``commitment_move`` with a ``ClientTold``.
    The old row becomes ``renegotiated`` and points to a new open one; the history stays.
    """
    _check_move(commitment, new_due_at, reason)
    if told_via not in Commitment.ToldVia.values:
        raise ApplicationError(_("Say how the client was told."), field="told_via")
    return _replace(
        commitment,
        state=Commitment.State.RENEGOTIATED,
        actor=actor,
        new_due_at=new_due_at,
        reason=reason,
        verb="commitment.renegotiated",
        dedupe_key=dedupe_key,
        told_via=told_via,
        told_at=told_at,
        told_note=told_note,
    )


@transaction.atomic
def commitment_move(
    *,
    commitment: Commitment,
    actor: User | None,
    new_due_at: datetime,
    reason: str | TextRef,
    told: ClientTold | None,
    dedupe_key: str | None = None,
) -> Commitment:
    """Move an open commitment to ``new_due_at``, answering how the client was told; returns
    the new open row.

    ``told``: the client was told another way (a call, a meeting, an email outside Rapport),
    with a note: ``renegotiated``, neutral. ``None``, to a later date: ``moved`` without
    notice, which counts as broken. ``None``, to an earlier date: ``superseded``, neutral.
    To tell the client from Rapport, send the delay notice (``projects.delays``) instead.
    """
    _check_move(commitment, new_due_at, reason)
    if told is not None:
        told = client_told_check(told)
        return commitment_renegotiate(
            commitment=commitment,
            actor=actor,
            new_due_at=new_due_at,
            reason=reason,
            told_via=told.via,
            told_note=told.note,
            dedupe_key=dedupe_key,
        )
    later = new_due_at > commitment.due_at
    return _replace(
        commitment,
        state=Commitment.State.MOVED if later else Commitment.State.SUPERSEDED,
        actor=actor,
        new_due_at=new_due_at,
        reason=reason,
        verb="commitment.moved" if later else "commitment.superseded",
        dedupe_key=dedupe_key,
    )


# --- Milestones (P15) -------------------------------------------------------------------------


def milestone_due_at(milestone: Milestone) -> datetime:
    return end_of_day(milestone.due_date, milestone.project.client.workspace.timezone)


def milestone_commitment_sync(
    milestone: Milestone,
    *,
    actor: User | None,
    created: bool = False,
    told: ClientTold | None = None,
) -> Commitment | None:
    """Keep the milestone's commitment in step with the milestone.

    Open while the milestone is open; kept when it is done; cancelled when it is archived (a
    deadline dropped counts as broken unless the client agrees in the portal); a new due date
    moves it (``commitment_move``): ``told`` says how the client heard of it, ``None`` that
    nobody told them. The delay notice moves the date and tells the client itself
    (``projects.delays``). ``created``: the milestone was inserted in this transaction, so it
    has no commitment yet and nothing needs to be looked up.
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
            commitment_cancel(
                commitment=current, actor=actor, reason=text_ref("reason.milestone_archived")
            )
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
        return commitment_move(
            commitment=current,
            actor=actor,
            new_due_at=due_at,
            reason=text_ref("reason.due_date_edited"),
            told=told,
            dedupe_key=key,
        )
    if current.wording != milestone.title:
        Commitment.objects.filter(pk=current.pk).update(wording=milestone.title[:500])
    return current
