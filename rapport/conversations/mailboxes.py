"""The workspace's own mailbox read over IMAP (P14): connect, change, disconnect, and what
went wrong last time, in words the provider understands (shown in Settings)."""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership, Workspace
from rapport.conversations.mailbox_secrets import seal
from rapport.conversations.models import Mailbox
from rapport.core.errors import ApplicationError

# Why the last attempt failed, by code (``Mailbox.last_error``); ``%(detail)s`` is the server's
# or the system's own words.
ERRORS = {
    "connect": gettext_lazy("Could not reach the server: %(detail)s"),
    "tls": gettext_lazy("The secure connection failed: %(detail)s"),
    "login": gettext_lazy("The server refused the username or password: %(detail)s"),
    "folder": gettext_lazy("The folder could not be opened: %(detail)s"),
    "password": gettext_lazy("The saved password cannot be read any more: enter it again."),
    "store": gettext_lazy(
        "A message could not be stored; it stays unread and is tried again: %(detail)s"
    ),
    "protocol": gettext_lazy("The server answered unexpectedly: %(detail)s"),
}

# How often each mailbox is read by the tick (IDLE, ``manage.py mailbox_idle``, is faster).
POLL_SECONDS = 60


def mailbox_error_text(mailbox: Mailbox) -> str:
    template = ERRORS.get(mailbox.last_error)
    if template is None:
        return mailbox.last_error
    return str(template) % {"detail": mailbox.last_error_detail}


def _host_check(host: str, security: str) -> None:
    """Plain-text IMAP, and servers on this machine or its private network, only where the
    server's admin allows them (``INBOUND_IMAP_ALLOW_INSECURE``): a workspace must not use
    Rapport to reach what only the server can reach, nor send a password in the clear."""
    allow = settings.INBOUND_IMAP_ALLOW_INSECURE
    if security == Mailbox.Security.NONE and not allow:
        raise ApplicationError(
            _("This server allows only encrypted connections (TLS or STARTTLS)."),
            field="security",
        )
    if allow:
        return
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ApplicationError(
            _("No server of that name was found (%(reason)s).") % {"reason": exc}, field="host"
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise ApplicationError(
                _("%(host)s is a local or private address; use the server's public name.")
                % {"host": host},
                field="host",
            )


@transaction.atomic
def mailbox_save(
    *,
    membership: Membership,
    address: str,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str,
    folder: str,
) -> Mailbox:
    """Connect the workspace's mailbox, or change it (owner only).

    An empty ``password`` keeps the saved one (it is never shown again). Changing the server,
    user or folder starts reading afresh. The mailbox's address becomes the workspace's inbound
    address (the Reply-To of client emails). Nothing is fetched here: the tick reads it.
    """
    require_owner(membership)
    workspace: Workspace = membership.workspace
    host = host.strip().lower()
    folder = folder.strip() or "INBOX"
    if security not in Mailbox.Security.values:
        raise ApplicationError(_("Choose how to connect."), field="security")
    if not 1 <= port <= 65535:
        raise ApplicationError(_("A port is a number from 1 to 65535."), field="port")
    _host_check(host, security)
    mailbox = Mailbox.objects.select_for_update().filter(workspace=workspace).first()
    if mailbox is None and not password:
        raise ApplicationError(_("Enter the mailbox's password."), field="password")
    if mailbox is None:
        mailbox = Mailbox(workspace=workspace)
    elif (mailbox.host, mailbox.username.lower(), mailbox.folder) != (
        host,
        username.strip().lower(),
        folder,
    ):
        # Another mailbox or folder: its UIDs mean nothing here.
        mailbox.uidvalidity = None
        mailbox.last_uid = 0
    mailbox.address = address.strip().lower()
    mailbox.host = host
    mailbox.port = port
    mailbox.security = security
    mailbox.username = username.strip()
    mailbox.folder = folder
    if password:
        mailbox.password = seal(password)
    mailbox.last_error = mailbox.last_error_detail = ""
    mailbox.last_error_at = None
    mailbox.next_poll_at = timezone.now()
    mailbox.save()
    Workspace.objects.filter(pk=workspace.pk).update(inbound_mailbox_address=mailbox.address)
    workspace.inbound_mailbox_address = mailbox.address
    return mailbox


@transaction.atomic
def mailbox_remove(*, membership: Membership) -> Workspace:
    """Stop reading the mailbox; replies go to the server's inbound address again. Emails
    already stored stay."""
    require_owner(membership)
    workspace: Workspace = membership.workspace
    Mailbox.objects.filter(workspace=workspace).delete()
    Workspace.objects.filter(pk=workspace.pk).update(inbound_mailbox_address="")
    workspace.inbound_mailbox_address = ""
    return workspace


def mailbox_error_record(*, mailbox: Mailbox, code: str, detail: str) -> None:
    """Remember why the last attempt failed; Settings shows it until an attempt succeeds."""
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error=code, last_error_detail=detail[:500], last_error_at=timezone.now()
    )
    mailbox.last_error, mailbox.last_error_detail = code, detail[:500]
