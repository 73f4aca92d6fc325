"""The channels a workspace offers its clients (P12): among those the server has credentials
for (``CHANNEL_*_URL``), the ones it has not turned off. Email is always on."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership, Workspace
from rapport.core.errors import ApplicationError
from rapport.notifications.channels import CHANNELS


def server_channels() -> list[tuple[str, str]]:
    """Channels other than email that the server has credentials for, with their labels."""
    return [(k, str(c.label)) for k, c in CHANNELS.items() if k != "email" and c.is_configured()]


def workspace_channels_on(workspace: Workspace) -> list[str]:
    """The server's channels (other than email) that ``workspace`` offers."""
    return [k for k, _label in server_channels() if k not in workspace.channels_off]


@transaction.atomic
def workspace_channels_update(*, membership: Membership, channels_off: list[str]) -> Workspace:
    """Turn ``channels_off`` off for the workspace's clients and the others on; only the owner
    may. Email cannot be turned off, nor a channel the server does not know
    (``field="channels_off"``)."""
    require_owner(membership)
    unknown = set(channels_off) - (set(CHANNELS) - {"email"})
    if unknown:
        raise ApplicationError(_("Unknown channel."), field="channels_off")
    workspace = membership.workspace
    workspace.channels_off = sorted(set(channels_off))
    workspace.save(update_fields=["channels_off", "updated_at"])
    return workspace
