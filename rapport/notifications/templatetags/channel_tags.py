"""The Settings page's choice of channels offered to clients, rendered by notifications,
which owns the channels (``workspace_channels_views`` saves it)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.accounts.models import Workspace
from rapport.notifications.workspace_channels import server_channels
from rapport.notifications.workspace_channels_views import workspace_channels_form

register = template.Library()


@register.inclusion_tag("notifications/_channel_settings.html", takes_context=True)
def workspace_channels_settings(context: template.Context, workspace: Workspace) -> dict[str, Any]:
    """The form as the workspace has it, or as just posted with its errors (``channels_form``
    in the page's context)."""
    form = context.get("channels_form") or workspace_channels_form(workspace)
    return {"form": form, "has_choices": bool(server_channels())}
