"""What happens to workspaces and members that apps above accounts act on (ADR 0013).

Each signal is sent inside the sending service's transaction, and Django runs its receivers
synchronously: their writes commit or roll back with the sender's. A receiver that fails makes
the service fail (``send``, not ``send_robust``).
"""

from __future__ import annotations

from django.dispatch import Signal

workspace_created = Signal()
"""A new workspace and its owner exist (``accounts.services.user_signup``).

Arguments: ``sender`` (the Workspace class), ``workspace``, ``owner`` (its owner's Membership).
Receivers: ``clients.receivers.workspace_defaults_create`` writes the first screening
checklist and discovery questionnaire, in the workspace's language.
"""

member_removed = Signal()
"""A member has left a workspace (``accounts.services.member_remove``), before their
membership row is deleted.

Arguments: ``sender`` (the Membership class), ``workspace``, ``user`` (who left).
Receivers: ``clients.receivers.account_ownerships_clear`` clears the account owner of the
clients they looked after, so that the handover shows (P27).
"""
