"""The client page shows the latest events (a card loaded after the page); the timeline page
shows them all, by pages."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients import selectors
from rapport.clients.models import Client
from rapport.clients.services import client_update
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent


def _events(acme: Client, alice: Persona, n: int) -> None:
    for i in range(n):
        client_update(client=acme, actor=alice.user, referral_source=f"source {i}")


def test_client_page_links_the_full_timeline_only_when_events_are_left_out(
    alice_http: HttpClient, alice: Persona, acme: Client
) -> None:
    # The client page's timeline card loads after the page, from its own URL.
    url = reverse("clients:recent_timeline", args=[acme.pk])
    client_page = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    assert f'hx-get="{url}"' in client_page
    full = f'href="{reverse("clients:timeline", args=[acme.pk])}"'
    shown = TimelineEvent.objects.filter(client=acme).count()
    _events(acme, alice, selectors.TIMELINE_SHOWN - shown)
    page = alice_http.get(url, headers={"HX-Request": "true"})
    assert full not in page.content.decode() and len(page.context["timeline"]) == 20
    _events(acme, alice, 1)
    page = alice_http.get(url, headers={"HX-Request": "true"})
    assert full in page.content.decode()
    latest = TimelineEvent.objects.filter(client=acme).order_by("-created_at", "-id")[:20]
    assert [e.pk for e in page.context["timeline"]] == [e.pk for e in latest]


def test_timeline_page_lists_every_event_newest_first_by_pages(
    alice_http: HttpClient, alice: Persona, acme: Client
) -> None:
    _events(acme, alice, 55)
    every = list(TimelineEvent.objects.filter(client=acme).order_by("-created_at", "-id"))
    first = alice_http.get(reverse("clients:timeline", args=[acme.pk]))
    assert first.status_code == 200
    assert [e.pk for e in first.context["timeline"]] == [e.pk for e in every[:50]]
    second = alice_http.get(reverse("clients:timeline", args=[acme.pk]), {"page": 2})
    assert [e.pk for e in second.context["timeline"]] == [e.pk for e in every[50:]]
    assert every[-1].describe() in second.content.decode()
