"""What billing does when a contract is signed by both sides (agreements.signals).

Connected in ``BillingConfig.ready``; it runs in the countersigning transaction, so the invoice
and the kickoff commit or roll back with the signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from rapport.agreements.models import Document, PaymentStage
from rapport.agreements.signals import contract_countersigned
from rapport.billing.kickoff import kickoff_if_ready
from rapport.billing.services.stages import invoice_issue_for_stage

if TYPE_CHECKING:
    from rapport.accounts.models import User


@receiver(contract_countersigned, dispatch_uid="billing.deposit_invoice_and_kickoff")
def deposit_invoice_and_kickoff(
    sender: type[Document], *, document: Document, actor: User | None, **kwargs: Any
) -> None:
    """Issue the deposit invoice of the contract's payment schedule (the first deposit stage,
    if it has an amount), then run the kickoff if it is ready: with no deposit due, work starts
    now; otherwise when the deposit is paid (P09, P11)."""
    if document.quote_id is not None:
        deposit = (
            PaymentStage.objects.filter(quote_id=document.quote_id, kind=PaymentStage.Kind.DEPOSIT)
            .order_by("position", "id")
            .first()
        )
        if deposit is not None and deposit.amount > 0:
            invoice_issue_for_stage(stage=deposit, contract=document, actor=actor)
    kickoff_if_ready(project=document.project)
