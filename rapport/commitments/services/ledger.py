"""Opening and closing commitments: the rows every other write of the ledger starts from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.core.texts import TextRef, text_in_default
from rapport.core.timeline import NewEvent, timeline_record, timeline_record_many

if TYPE_CHECKING:
    # Projects and requests sit above the ledger: their rows are passed in, never imported
    # at run time.
    from rapport.conversations.models import Request
    from rapport.projects.models import Milestone, Project


def due_text(due_at: datetime) -> str:
    """Stored as ISO; the timeline shows it in each reader's format and time zone."""
    return due_at.isoformat()


def wording_set(row: Commitment, wording: str | TextRef) -> None:
    """Put ``wording`` on ``row``: a typed text as typed, a composed one as its reference plus
    the English sentence in ``wording`` (what search and older readers see)."""
    if isinstance(wording, dict):
        row.wording_ref = wording
        row.wording = text_in_default(wording)[:500]
    else:
        row.wording = wording[:500]


def commitment_open(
    *,
    client: Client,
    kind: str,
    wording: str | TextRef,
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

    ``wording`` is the text a person typed, or a ``text_ref`` for one the system composes,
    which every reader then sees in their own language (ADR 0021).

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
        due_at=due_at,
        owner_id=owner_id if owner_id is not None else client.account_owner_id,
        dedupe_key=dedupe_key,
    )
    wording_set(row, wording)
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
        data={"wording": commitment.wording_data, "due": due_text(due_at)},
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
        row.wording = (text_in_default(row.wording_ref) if row.wording_ref else row.wording)[:500]
    Commitment.objects.bulk_create(new, ignore_conflicts=True)
    opened = list(
        Commitment.objects.filter(dedupe_key__in=[row.dedupe_key for row in new]).only(
            "pk", "workspace_id", "client_id", "wording", "wording_ref", "due_at"
        )
    )
    timeline_record_many(
        verb="commitment.created",
        events=[
            NewEvent(
                workspace_id=c.workspace_id,
                client_id=c.client_id,
                subject=c,
                data={"wording": c.wording_data, "due": due_text(c.due_at)},
            )
            for c in opened
        ],
        actor=actor,
    )
    return opened


def close(
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
            data={"wording": commitment.wording_data},
        )
    return bool(changed)


@transaction.atomic
def commitment_keep(
    *, commitment: Commitment, actor: User | None, now: datetime | None = None
) -> bool:
    """Record a commitment as kept. A commitment already broken stays broken."""
    return close(commitment, Commitment.State.KEPT, actor=actor, verb="commitment.kept", now=now)


def commitment_break(*, commitment: Commitment, now: datetime) -> bool:
    """Past due without being kept or renegotiated: broken (P15). Used by the scanner."""
    return close(commitment, Commitment.State.BROKEN, actor=None, verb="commitment.broken", now=now)


@transaction.atomic
def commitment_supersede(*, commitment: Commitment, actor: User | None) -> bool:
    """The schedule an open commitment came from changed, so it is no longer owed: the update
    cadence moved its next date, or the project was paused, archived or lost its cadence.
    Neutral in the keeping rate; whatever is owed instead is a new commitment.

    Not for a promise the provider drops: that is ``commitment_cancel``, with a reason, and it
    counts as broken unless the client agrees.
    """
    return close(commitment, Commitment.State.SUPERSEDED, actor=actor, verb="commitment.superseded")
