"""What a change request does when its amendment is signed or withdrawn (agreements.signals).

Signing knows documents, not change requests: it tells, and this module acts. Connected in
``AgreementsConfig.ready``; each runs in the signing's transaction.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rapport.accounts.models import User
from rapport.agreements.changes.services import (
    OPEN_STATES,
    change_request_approve,
    change_request_withdraw,
)
from rapport.agreements.models import Document
from rapport.agreements.signals import amendment_client_signed, amendment_voided
from rapport.clients.models import Contact


@receiver(amendment_client_signed, dispatch_uid="agreements.change_request_approve_on_signature")
def change_request_approve_on_signature(
    sender: type[Document], *, document: Document, contact: Contact, **kwargs: Any
) -> None:
    """The client's signature on the amendment is their approval of the change (P19)."""
    change = document.change_request
    assert change is not None  # sent only for an amendment made from a change request
    change_request_approve(change_request=change, contact=contact)


@receiver(amendment_voided, dispatch_uid="agreements.change_request_withdraw_on_void")
def change_request_withdraw_on_void(
    sender: type[Document], *, document: Document, actor: User | None, **kwargs: Any
) -> None:
    """An amendment withdrawn before anyone signed it takes its open change request with it
    (a change already withdrawn or rejected, which withdrew the amendment, stays as it is)."""
    change = document.change_request
    if change is not None and change.status in OPEN_STATES:
        change_request_withdraw(change_request=change, actor=actor)
