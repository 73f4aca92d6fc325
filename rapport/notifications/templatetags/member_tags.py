"""The Settings page's "how I hear of new requests", rendered by notifications, which owns the
channels (``member_views`` saves it)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.accounts.models import Membership
from rapport.notifications.member_views import member_notify_form

register = template.Library()


@register.inclusion_tag("notifications/_member_notify_settings.html", takes_context=True)
def member_notify_settings(context: template.Context, membership: Membership) -> dict[str, Any]:
    """The form as the member has it, or as just posted with its errors (``notify_form``)."""
    return {"form": context.get("notify_form") or member_notify_form(membership)}
