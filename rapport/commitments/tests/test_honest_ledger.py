"""A ledger that cannot be gamed (P15, P17): how each way a date moves or a commitment ends
counts in the keeping rate."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.commitments.models import Commitment
from rapport.commitments.selectors import (
    cancellations_to_answer,
    client_commitments,
    keeping_rates,
)
from rapport.commitments.services import (
    ClientTold,
    commitment_cancel,
    commitment_cancel_answer,
    commitment_keep,
    commitment_move,
    commitment_open,
    promise_create,
)
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.projects.delays import delay_notice_send
from rapport.projects.models import Milestone
from rapport.projects.services import milestone_update


def _rate(acme: Client) -> tuple[int, int, int, float | None]:
    """(kept, broken, neutral, rate) over 30 days, as the client page reads them."""
    r = client_commitments(client=acme, now=timezone.now()).rates[0]
    return r.kept, r.broken, r.neutral, r.rate


def _promise(acme: Client, alice: Persona, wording: str = "Logo drafts") -> Commitment:
    return promise_create(
        client=acme,
        actor=alice.user,
        wording=wording,
        due_at=timezone.now() + dt.timedelta(days=2),
    )


def _open_milestone_row(milestone: Milestone) -> Commitment:
    return Commitment.objects.get(milestone=milestone, state=Commitment.State.OPEN)


# --- Moving a date ------------------------------------------------------------------------------


def test_moved_with_a_notice_from_rapport_is_renegotiated_and_neutral(
    alice: Persona, acme: Client, carol: Contact, design_milestone: Milestone
) -> None:
    old = _open_milestone_row(design_milestone)
    delay_notice_send(
        milestone=design_milestone,
        actor=alice.user,
        new_due_date=design_milestone.due_date + dt.timedelta(days=7),
        reason="The photos arrive late",
        plan="Layouts first, photos after",
        contacts=[carol],
    )
    old.refresh_from_db()
    assert (old.state, old.told_via) == ("renegotiated", "notification")
    assert _rate(acme) == (0, 0, 1, None)


def test_moved_told_another_way_with_a_note_is_neutral(
    alice: Persona, acme: Client, design_milestone: Milestone
) -> None:
    old = _open_milestone_row(design_milestone)
    milestone_update(
        milestone=design_milestone,
        actor=alice.user,
        due_date=design_milestone.due_date + dt.timedelta(days=7),
        told=ClientTold(via="phone", note="Call with Carol on Monday, she agreed"),
    )
    old.refresh_from_db()
    assert old.state == "renegotiated"
    assert (old.told_via, old.told_note) == ("phone", "Call with Carol on Monday, she agreed")
    assert old.told_at is not None
    assert _open_milestone_row(design_milestone).due_at > old.due_at
    assert _rate(acme) == (0, 0, 1, None)


def test_moved_without_notice_counts_as_broken(
    alice: Persona, acme: Client, design_milestone: Milestone
) -> None:
    old = _open_milestone_row(design_milestone)
    milestone_update(
        milestone=design_milestone,
        actor=alice.user,
        due_date=design_milestone.due_date + dt.timedelta(days=7),
    )
    old.refresh_from_db()
    assert old.state == "moved"
    assert (old.told_via, old.told_at) == ("", None)
    assert old.replaced_by == _open_milestone_row(design_milestone)
    assert _rate(acme) == (0, 1, 0, 0.0)
    # Listed on the client page as what it is, beside its new date.
    listed = {c.state for c in client_commitments(client=acme, now=timezone.now()).commitments}
    assert {"moved", "open"} <= listed
    assert TimelineEvent.objects.filter(verb="commitment.moved").count() == 1


def test_a_date_brought_forward_is_neutral(
    alice: Persona, acme: Client, design_milestone: Milestone
) -> None:
    old = _open_milestone_row(design_milestone)
    milestone_update(
        milestone=design_milestone,
        actor=alice.user,
        due_date=design_milestone.due_date - dt.timedelta(days=2),
    )
    old.refresh_from_db()
    assert old.state == "superseded"
    assert _rate(acme) == (0, 0, 0, None)


@pytest.mark.parametrize(
    ("told", "field"),
    [
        (ClientTold(via="notification", note="Sent it"), "told_via"),
        (ClientTold(via="carrier pigeon", note="Sent it"), "told_via"),
        (ClientTold(via="email", note="  "), "told_note"),
        (ClientTold(via="email", note="x" * 301), "told_note"),
    ],
)
def test_told_another_way_needs_a_real_way_and_a_note(
    alice: Persona, acme: Client, told: ClientTold, field: str
) -> None:
    promise = _promise(acme, alice)
    with pytest.raises(ApplicationError) as exc:
        commitment_move(
            commitment=promise,
            actor=alice.user,
            new_due_at=promise.due_at + dt.timedelta(days=3),
            reason="Waiting for texts",
            told=told,
        )
    assert exc.value.field == field
    promise.refresh_from_db()
    assert promise.state == "open"
    assert Commitment.objects.filter(client=acme).count() == 1


# --- Cancelling ---------------------------------------------------------------------------------


def test_cancel_without_a_reason_is_refused_and_nothing_changes(
    alice: Persona, acme: Client
) -> None:
    promise = _promise(acme, alice)
    with pytest.raises(ApplicationError) as exc:
        commitment_cancel(commitment=promise, actor=alice.user, reason="   ")
    assert exc.value.field == "reason"
    promise.refresh_from_db()
    assert promise.state == "open"


def test_a_cancellation_counts_as_broken_until_the_client_agrees(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    kept = _promise(acme, alice, "Kept one")
    commitment_keep(commitment=kept, actor=alice.user)
    dropped = _promise(acme, alice)
    assert commitment_cancel(commitment=dropped, actor=alice.user, reason="Out of scope")
    assert _rate(acme) == (1, 1, 0, 0.5)
    assert list(cancellations_to_answer(client_id=acme.pk, workspace_id=acme.workspace_id)) == [
        dropped
    ]

    commitment_cancel_answer(commitment=dropped, contact=carol, agree=True)
    dropped.refresh_from_db()
    assert dropped.state == "cancel_agreed"
    assert dropped.cancel_answered_by == carol
    assert dropped.cancel_answered_at is not None
    assert _rate(acme) == (1, 0, 1, 1.0)
    assert not cancellations_to_answer(client_id=acme.pk, workspace_id=acme.workspace_id)


def test_a_disagreed_cancellation_stays_broken_and_the_first_answer_stands(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    dropped = _promise(acme, alice)
    commitment_cancel(commitment=dropped, actor=alice.user, reason="Out of scope")
    commitment_cancel_answer(commitment=dropped, contact=carol, agree=False)
    dropped.refresh_from_db()
    assert (dropped.state, dropped.cancel_answered_by) == ("cancelled", carol)
    assert _rate(acme) == (0, 1, 0, 0.0)
    with pytest.raises(ApplicationError) as exc:
        commitment_cancel_answer(commitment=dropped, contact=carol, agree=True)
    assert exc.value.field == "answer"
    dropped.refresh_from_db()
    assert dropped.state == "cancelled"


def test_another_clients_contact_cannot_answer(alice: Persona, acme: Client) -> None:
    """Same workspace, another client: the answer is refused and nothing is recorded."""
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other Co")
    dave = contact_create(client=other, actor=alice.user, name="Dave", email="d@other.example")
    dropped = _promise(acme, alice)
    commitment_cancel(commitment=dropped, actor=alice.user, reason="Out of scope")
    with pytest.raises(ApplicationError):
        commitment_cancel_answer(commitment=dropped, contact=dave, agree=True)
    dropped.refresh_from_db()
    assert (dropped.state, dropped.cancel_answered_at) == ("cancelled", None)


def test_archiving_a_milestone_is_a_cancellation_with_a_reason(
    alice: Persona, acme: Client, design_milestone: Milestone
) -> None:
    from rapport.projects.services import milestone_archive

    row = _open_milestone_row(design_milestone)
    milestone_archive(milestone=design_milestone, actor=alice.user)
    row.refresh_from_db()
    assert row.state == "cancelled"
    assert row.reason
    assert _rate(acme) == (0, 1, 0, 0.0)


# --- What the provider does not owe -------------------------------------------------------------


def test_quote_validity_is_not_a_promise_kept(alice: Persona, acme: Client) -> None:
    quote_row, _created = commitment_open(
        client=acme,
        kind=Commitment.Kind.QUOTE,
        wording="Quote Q-1 valid until Friday",
        due_at=timezone.now() + dt.timedelta(days=3),
        dedupe_key="quote:1",
    )
    commitment_keep(commitment=quote_row, actor=None)
    broken = _promise(acme, alice)
    Commitment.objects.filter(pk=broken.pk).update(state="broken", resolved_at=timezone.now())
    # Only the broken promise counts, on the client page, the workspace and the member.
    assert _rate(acme) == (0, 1, 0, 0.0)
    workspace = keeping_rates(workspace=alice.workspace, now=timezone.now())[0]
    assert (workspace.kept, workspace.broken) == (0, 1)
    # Nor is a quote's cancellation put to the client.
    other, _created = commitment_open(
        client=acme,
        kind=Commitment.Kind.QUOTE,
        wording="Quote Q-2",
        due_at=timezone.now() + dt.timedelta(days=3),
        dedupe_key="quote:2",
    )
    commitment_cancel(commitment=other, actor=None, reason="A new version replaces this quote.")
    assert not cancellations_to_answer(client_id=acme.pk, workspace_id=acme.workspace_id)


# --- History ------------------------------------------------------------------------------------


def test_the_migration_tells_past_silent_moves_as_they_were(
    alice: Persona, acme: Client, design_milestone: Milestone
) -> None:
    """Rows written before: a milestone date edited in its form ("due date edited", told via
    "other") was nobody telling the client; a cancelled update row was the cadence moving."""
    silent = _open_milestone_row(design_milestone)
    Commitment.objects.filter(pk=silent.pk).update(
        state="renegotiated", told_via="other", reason="due date edited", told_at=timezone.now()
    )
    told = _promise(acme, alice, "Told")
    Commitment.objects.filter(pk=told.pk).update(
        state="renegotiated", told_via="phone", reason="Waiting for texts"
    )
    update_row = _promise(acme, alice, "Update")
    Commitment.objects.filter(pk=update_row.pk).update(kind="update", state="cancelled")
    migration = importlib.import_module(
        "rapport.commitments.migrations.0004_ledger_moved_cancel_agreed"
    )
    migration.reclassify(apps, None)
    states = dict(
        Commitment.objects.filter(pk__in=[silent.pk, told.pk, update_row.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {silent.pk: "moved", told.pk: "renegotiated", update_row.pk: "superseded"}
