"""Invoice numbers: one gapless sequence per workspace (P09).

A number is taken only when an invoice is issued, inside the issuing transaction, with the
workspace's :class:`InvoiceSequence` row locked (``SELECT … FOR UPDATE``). Two issuers at the
same moment queue on that row lock, so each gets the next integer; if the issuing transaction
rolls back, so does the increment, and no number is lost. Drafts have no number, and a
cancelled (void) invoice keeps the one it had: the sequence never has a hole.

The number is an integer; :func:`invoice_number_display` is the one place that formats it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from rapport.billing.models import InvoiceSequence

PREFIX = "INV"


def invoice_number_take(*, workspace_id: int) -> int:
    """The next invoice number of the workspace. Must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invoice numbers are taken inside the issuing transaction")
    # The row must exist before it can be locked; get_or_create survives a concurrent create
    # (its INSERT runs in a savepoint and falls back to reading the winner's row).
    InvoiceSequence.objects.get_or_create(workspace_id=workspace_id)
    sequence = InvoiceSequence.objects.select_for_update().get(workspace_id=workspace_id)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def invoice_number_display(number: int | None, issue_date: date | None) -> str:
    """ "INV-2026-0007": the year of issue for the reader, then the workspace-wide number.

    The counter does not restart each year; the year is there to help people, not to make the
    number unique. A draft (no number) shows as an empty string.
    """
    if number is None:
        return ""
    year = f"{issue_date.year}-" if issue_date is not None else ""
    return f"{PREFIX}-{year}{number:04d}"
