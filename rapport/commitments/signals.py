"""What happens to the ledger that apps above commitments act on (ADR 0013).

Each signal is sent inside the sender's transaction, and Django runs its receivers
synchronously: their writes commit or roll back with the sender's. A receiver that fails makes
the sender fail (``send``, not ``send_robust``).
"""

from __future__ import annotations

from django.dispatch import Signal

commitments_broken = Signal()
"""Open commitments passed their due time and are now broken
(``commitments.scanners.scan_broken_commitments``, a chunk at a time).

Arguments: ``sender`` (the Commitment class), ``commitments`` (the rows just broken, each
with its project, client and workspace loaded), ``now``.
Receivers: ``projects.receivers.missed_updates_roll_on`` opens the next "update due"
commitment of each project whose progress update was missed (P12).
"""
