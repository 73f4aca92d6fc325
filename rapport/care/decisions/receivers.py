"""The decisions log hears of change requests the client decided (agreements.signals).

Agreements sits below care and cannot call it; it tells, and this module records. Connected
in ``CareConfig.ready``; runs in the deciding service's transaction.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rapport.agreements.signals import change_request_decided
from rapport.care.decisions.entries import decision_from_change
from rapport.clients.models import Contact
from rapport.projects.models import ChangeRequest


@receiver(change_request_decided, dispatch_uid="care.decision_on_change")
def decision_on_change(
    sender: type[ChangeRequest],
    *,
    change_request: ChangeRequest,
    contact: Contact,
    approved: bool,
    reason: str = "",
    **kwargs: Any,
) -> None:
    """Record the client's decision on the change in the project's decisions log (P36)."""
    decision_from_change(change=change_request, contact=contact, approved=approved, reason=reason)
