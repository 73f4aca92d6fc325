"""Contracts made from accepted quotes (P08). Owner: contracts work."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.agreements.models import Document, Quote


def contract_create_from_quote(*, quote: Quote, actor: User | None) -> Document:
    """The contract Document for an accepted ``quote``, rendered and sent to its contact to sign.

    Called inside the transaction that accepts the quote.
    """
    raise NotImplementedError
