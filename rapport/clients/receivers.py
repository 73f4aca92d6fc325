"""What clients does when a workspace or its members change (accounts.signals).

Connected in ``ClientsConfig.ready``; each runs in the sending service's transaction.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.signals import member_removed, workspace_created
from rapport.clients.briefs.services import brief_template_create_default
from rapport.clients.models import Client, Contact
from rapport.clients.screening.services import checklist_create_defaults
from rapport.clients.services import contact_update
from rapport.core.errors import ApplicationError
from rapport.notifications.telegram import telegram_chat_started


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


@receiver(telegram_chat_started, dispatch_uid="clients.contact_telegram_record")
def contact_telegram_record(sender: Any, *, contact_id: int, chat_id: str, **kwargs: Any) -> None:
    """The contact opened their Telegram link: that chat is now their Telegram address."""
    contact = (
        Contact.objects.select_related("client__workspace")
        .filter(pk=contact_id, archived_at__isnull=True)
        .first()
    )
    if contact is None:
        return
    try:
        contact_update(contact=contact, actor=None, telegram=chat_id)
    except ApplicationError:  # another field of the contact no longer passes: keep it as it is
        return
