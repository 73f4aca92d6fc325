"""Invoices and payments (P09, P10, P35). Owner: billing work."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.agreements.models import Document, PaymentStage
    from rapport.billing.models import Invoice


def invoice_issue_for_stage(
    *, stage: PaymentStage, contract: Document | None, actor: User | None
) -> Invoice:
    """Issue (number, PDF, send to the client) the invoice of one payment stage.

    Signing the contract calls it for the deposit stage, inside the signing transaction.
    """
    raise NotImplementedError
