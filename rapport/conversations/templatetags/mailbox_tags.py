"""The Settings page's "Replies and inbound mail" section, rendered by conversations, which
owns the mailbox (``mailbox_views`` saves it)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.accounts.models import Membership, Workspace
from rapport.accounts.selectors import workspace_inbound_address
from rapport.conversations.forms import MailboxForm
from rapport.conversations.mailboxes import mailbox_error_text
from rapport.conversations.models import Mailbox

register = template.Library()

FORM_PREFIX = "mb"


def mailbox_form(mailbox: Mailbox | None) -> MailboxForm:
    if mailbox is None:
        return MailboxForm(prefix=FORM_PREFIX)
    initial = {
        "address": mailbox.address,
        "host": mailbox.host,
        "port": mailbox.port,
        "security": mailbox.security,
        "username": mailbox.username,
        "folder": mailbox.folder,
    }
    return MailboxForm(initial=initial, prefix=FORM_PREFIX)


@register.inclusion_tag("conversations/_mailbox_form.html", takes_context=True)
def mailbox_settings(
    context: template.Context, workspace: Workspace, membership: Membership
) -> dict[str, Any]:
    """The inbound address, the mailbox's state and (for the owner) its form, as saved or as
    just posted with its errors (``mailbox_form`` in the page's context). One query."""
    mailbox = Mailbox.objects.filter(workspace=workspace).first()
    return {
        "inbound_address": workspace_inbound_address(workspace),
        "mailbox": mailbox,
        "error": mailbox_error_text(mailbox) if mailbox and mailbox.last_error else "",
        "form": context.get("mailbox_form") or mailbox_form(mailbox),
        "can_edit": membership.is_owner,
        "csrf_token": context.get("csrf_token"),
    }
