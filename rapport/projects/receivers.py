"""What projects does when the ledger changes (commitments.signals).

Connected in ``ProjectsConfig.ready``; each runs in the sender's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from rapport.commitments.models import Commitment
from rapport.commitments.signals import commitments_broken
from rapport.projects.cadence import update_commitments_roll_on


@receiver(commitments_broken, dispatch_uid="projects.missed_updates_roll_on")
def missed_updates_roll_on(
    sender: type[Commitment], *, commitments: list[Commitment], now: datetime, **kwargs: Any
) -> None:
    """A missed progress update does not end the cadence: each project whose "update due"
    commitment broke gets its next one (P12)."""
    missed = [c for c in commitments if c.kind == Commitment.Kind.UPDATE]
    update_commitments_roll_on([c.project for c in missed if c.project is not None], now=now)
