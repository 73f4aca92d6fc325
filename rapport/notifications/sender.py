"""Sent as you: the From and Reply-To of an email of the outbox.

A client's email comes from the workspace, not from "Rapport". By default it is
"<name> via Rapport" on the server's own address (DEFAULT_FROM_EMAIL), which the server's SPF
and DKIM cover, so it is delivered; a workspace that has set up its own domain for this server
(docs/email.md) sets its own sender address instead. A client's reply goes to the workspace's
inbound address (so it threads back to the request, P14), else to the sender's own address.

Messages to the workspace's own people (a digest, a new-request notice) come from the server,
with no Reply-To: a reply to them would land among the clients' mail.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from rapport.accounts.models import Workspace
from rapport.accounts.selectors import workspace_inbound_address

if TYPE_CHECKING:
    from rapport.notifications.models import Notification


def server_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL (``Rapport <rapport@example.com>``)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def workspace_from(workspace: Workspace, language: str) -> str:
    """The From of the workspace's client email, its "via" in the recipient's ``language``."""
    name = workspace.sender_name or workspace.name
    if workspace.sender_email:
        return formataddr((name, workspace.sender_email))
    with translation.override(language):
        via = _("%(name)s via Rapport") % {"name": name}
    return formataddr((via, server_address()))


def workspace_reply_to(workspace: Workspace) -> str:
    """Where a client's reply goes: the inbound address, else the sender's own; "" if none."""
    return workspace_inbound_address(workspace) or workspace.sender_email


def email_headers_for(notification: Notification) -> tuple[str, str]:
    """(From, Reply-To) of ``notification``'s email; Reply-To is "" when there is none.

    Reads the workspace (one query unless it is loaded), so a changed sender applies to the
    messages still in the queue.
    """
    if notification.contact_id is None and notification.client_id is None:
        if notification.user_id is not None:
            return settings.DEFAULT_FROM_EMAIL, ""
        # An invitation: from the workspace, via the server; nothing to reply to.
        workspace = notification.workspace
        with translation.override(notification.language):
            via = _("%(name)s via Rapport") % {"name": workspace.sender_name or workspace.name}
        return formataddr((via, server_address())), ""
    workspace = notification.workspace
    return workspace_from(workspace, notification.language), workspace_reply_to(workspace)
