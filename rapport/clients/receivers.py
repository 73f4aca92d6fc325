"""What clients does when a workspace or its members change (accounts.signals).

Connected in ``ClientsConfig.ready``; each runs in the sending service's transaction.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.signals import member_removed, workspace_created
from rapport.clients.briefs.services import brief_template_create_default
from rapport.clients.models import Client
from rapport.clients.screening.services import checklist_create_defaults


@receiver(workspace_created, dispatch_uid="clients.workspace_defaults_create")
def workspace_defaults_create(
    sender: type[Workspace], *, workspace: Workspace, owner: Membership, **kwargs: Any
) -> None:
    """Write a new workspace's first screening checklist (P01) and discovery questionnaire
    (P05), in its language."""
    checklist_create_defaults(workspace)
    brief_template_create_default(workspace)


@receiver(member_removed, dispatch_uid="clients.account_ownerships_clear")
def account_ownerships_clear(
    sender: type[Membership], *, workspace: Workspace, user: User, **kwargs: Any
) -> None:
    """The clients a departing member looked after stay with the workspace, without an
    account owner, so that the handover shows (P27)."""
    Client.objects.for_workspace(workspace).filter(account_owner=user).update(account_owner=None)
