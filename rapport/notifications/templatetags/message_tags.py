"""The client page's "messages sent" card, for the page that ``clients`` owns (one query)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils import timezone

from rapport.notifications import selectors

if TYPE_CHECKING:
    from rapport.clients.models import Client

register = template.Library()


@register.inclusion_tag("notifications/_client_messages.html")
def client_messages(client: Client) -> dict[str, Any]:
    # ``now``: a message still queued for later says until when it waits.
    return {
        "notifications": selectors.client_notifications(client=client),
        "now": timezone.now(),
    }
