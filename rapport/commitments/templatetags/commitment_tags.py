"""The client page's commitment cards, for the page that ``clients`` owns.

``{% client_commitments client as commitment_cards %}`` reads the client's commitments and
keeping rates in one query; ``commitments/_client_commitments.html`` and
``commitments/_client_rates.html`` are the two cards that show them, in the page's two
columns (included where each card goes).
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from rapport.clients.models import Client
from rapport.commitments.selectors import ClientCommitments
from rapport.commitments.selectors import client_commitments as read_client_commitments

register = template.Library()


@register.simple_tag
def client_commitments(client: Client) -> ClientCommitments:
    return read_client_commitments(client=client, now=timezone.now())
