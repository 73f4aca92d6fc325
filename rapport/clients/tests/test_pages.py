"""The client page as a provider sees it."""

from __future__ import annotations

import re
from collections import Counter

from django.urls import reverse

from rapport.clients.services import contact_create


def test_client_page_ids_are_unique_with_several_contacts(alice_http, acme, carol, alice) -> None:
    contact_create(client=acme, actor=alice.user, name="Dimitris", email="dimitris@acme.test")
    body = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [name for name, n in ids.items() if n > 1] == []
    # Every contact card's date form labels its own fields.
    for contact in acme.contacts.all():
        assert f'for="date-{contact.pk}-day"' in body
        assert f'id="date-{contact.pk}-day"' in body
