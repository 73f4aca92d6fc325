"""Care sections for pages owned by lower apps (``clients``): the client page's card of
goodwill given and client-caused problems (P35, P25), in one query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from rapport.care.patterns.detect import PATTERN_DAYS, PATTERN_EVENTS
from rapport.care.problems.selectors import client_care
from rapport.clients.models import Client

register = template.Library()


@register.inclusion_tag("care/_client_care.html")
def client_care_card(client: Client) -> dict[str, Any]:
    care = client_care(client_id=client.pk, now=timezone.now(), days=PATTERN_DAYS)
    return {
        "client": client,
        "care": care,
        "pattern": care.client_caused >= PATTERN_EVENTS,
        "pattern_days": PATTERN_DAYS,
    }
