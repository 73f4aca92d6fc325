"""What happens to agreements that other code acts on (ADR 0013).

Each signal is sent inside the sending service's transaction, and Django runs its receivers
synchronously: their writes commit or roll back with the sender's. A receiver that fails makes
the service fail (``send``, not ``send_robust``).
"""

from __future__ import annotations

from django.dispatch import Signal

contract_countersigned = Signal()
"""A contract (not an amendment) is signed by both sides, and its client and project are
active (``agreements.signing.services.document_countersign``).

Arguments: ``sender`` (the Document class), ``document`` (the contract), ``actor`` (the
provider who countersigned).
Receivers: ``billing.receivers.deposit_invoice_and_kickoff`` issues the deposit invoice, then
runs the kickoff if it is ready (P09, P11).
"""

amendment_client_signed = Signal()
"""The client signed an amendment made from a change request, with the emailed code
(``agreements.signing.services.document_sign_client``).

Arguments: ``sender`` (the Document class), ``document`` (the amendment), ``contact`` (who
signed).
Receivers: ``agreements.changes.receivers.change_request_approve_on_signature``: the signature
is the client's approval, so the change request is approved (P19).
"""

amendment_voided = Signal()
"""An amendment nobody had signed was withdrawn (``agreements.signing.services.document_void``).

Arguments: ``sender`` (the Document class), ``document`` (the amendment), ``actor`` (who
withdrew it, or None).
Receivers: ``agreements.changes.receivers.change_request_withdraw_on_void``: its change request,
if still open, is withdrawn with it.
"""

change_request_decided = Signal()
"""The client decided a change request: approved it by signing its amendment
(``agreements.changes.services.change_request_approve``) or rejected it with a reason
(``change_request_reject``).

Arguments: ``sender`` (the ChangeRequest class), ``change_request``, ``contact`` (who decided),
``approved`` (bool), ``reason`` (the client's reason for a rejection, else "").
Receivers: ``care.decisions.receivers.decision_on_change``: the decisions log records it,
pointing at the change request (P36, ADR 0029).
"""

quote_created = Signal()
"""A new quote was written for a project (``agreements.quotes.services.quote_create``; not
its later versions).

Arguments: ``sender`` (the Quote class), ``quote``, ``actor`` (the provider, or None).
Receivers: ``care.keepintouch.receivers.loyalty_on_quote``: a loyalty offer waiting for the
client is attached to this quote (P31, P34).
"""
