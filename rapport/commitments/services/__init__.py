"""Writes to the commitment ledger (P15, P16, P17).

Milestones, requests and update cadences keep their commitments in step through the ``*_sync``
functions, called by their own services in the same transaction. Promises are written by hand.
How a commitment ends decides how it counts in the keeping rate (``docs/promise-keeping.md``):
kept, broken, moved without notice and cancelled count; renegotiated with the client told, a
cancellation the client agreed to, and a superseded schedule are neutral.
"""

from rapport.commitments.services.cancellations import commitment_cancel, commitment_cancel_answer
from rapport.commitments.services.dates import (
    TOLD_OUTSIDE_RAPPORT,
    ClientTold,
    client_told_check,
    commitment_move,
    commitment_renegotiate,
    milestone_commitment_sync,
    milestone_due_at,
)
from rapport.commitments.services.ledger import (
    commitment_break,
    commitment_keep,
    commitment_open,
    commitment_supersede,
    commitments_open_many,
)
from rapport.commitments.services.promises import (
    promise_confirm,
    promise_create,
    promise_request_confirmation,
)

__all__ = [
    "TOLD_OUTSIDE_RAPPORT",
    "ClientTold",
    "client_told_check",
    "commitment_break",
    "commitment_cancel",
    "commitment_cancel_answer",
    "commitment_keep",
    "commitment_move",
    "commitment_open",
    "commitment_renegotiate",
    "commitment_supersede",
    "commitments_open_many",
    "milestone_commitment_sync",
    "milestone_due_at",
    "promise_confirm",
    "promise_create",
    "promise_request_confirmation",
]
