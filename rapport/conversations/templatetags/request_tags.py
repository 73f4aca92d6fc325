"""The client page's requests card, for the page that ``clients`` owns (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.clients.models import Client
from rapport.conversations import selectors

register = template.Library()


@register.inclusion_tag("conversations/_client_requests.html")
def client_requests(client: Client) -> dict[str, Any]:
    return {"client": client, "requests": selectors.client_requests(client=client)}
