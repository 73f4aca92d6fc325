"""notifications_queue_many and portal_links_create_many: the bulk forms the scanners use write
what the single forms write, each message in its reader's language, in a fixed number of
queries; a key stored already or given twice is written once."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from rapport.clients.models import Client, Contact, PortalLink
from rapport.clients.portal_links.selectors import portal_link_find
from rapport.clients.portal_links.services import portal_links_create_many
from rapport.clients.services import client_archive, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Notification
from rapport.notifications.services import (
    NewMessage,
    notification_queue,
    notifications_queue_many,
)

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def _message(contact: Contact, key: str) -> NewMessage:
    return NewMessage(
        contact=contact,
        template="portal_link",
        context={"url": "https://rapport.example/p/open/abc/", "hours": 72},
        dedupe_key=key,
        urgent=True,
    )


def test_each_message_once_in_its_readers_language(
    acme: Client, carol: Contact, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ioana = contact_create(client=acme, actor=alice.user, name="Ioana", email="i@acme.example")
    Contact.objects.filter(pk=ioana.pk).update(language="ro")
    notification_queue(
        contact=carol, template="portal_link", context={"url": "x", "hours": 72}, dedupe_key="old"
    )
    contacts = {
        c.pk: c for c in Contact.objects.select_related("client__workspace").filter(client=acme)
    }
    carol_, ioana_ = contacts[carol.pk], contacts[ioana.pk]
    messages = [
        _message(carol_, "old"),  # stored already: left out
        _message(carol_, "carol"),
        _message(ioana_, "ioana"),
        _message(ioana_, "ioana"),  # the same key twice: written once
    ]
    # The stored keys, the rows, their timeline events.
    with django_assert_num_queries(3):
        written = notifications_queue_many(messages=messages, now=NOW)
    assert [n.dedupe_key for n in written] == ["carol", "ioana"]
    rows = {n.dedupe_key: n for n in Notification.objects.filter(dedupe_key__in=["carol", "ioana"])}
    assert carol_.effective_language != "ro"
    assert (rows["carol"].language, rows["ioana"].language) == (carol_.effective_language, "ro")
    assert rows["carol"].subject != rows["ioana"].subject
    assert rows["carol"].not_before == NOW  # urgent: at once
    events = TimelineEvent.objects.filter(
        verb="notification.queued", subject_id__in=[rows["carol"].pk, rows["ioana"].pk]
    )
    assert sorted(e.data["name"] for e in events) == [carol.name, "Ioana"]
    # A second run writes nothing.
    assert notifications_queue_many(messages=messages, now=NOW) == []
    assert Notification.objects.filter(dedupe_key__in=["carol", "ioana"]).count() == 2


def test_links_in_one_insert_each_for_its_contact(
    acme: Client, carol: Contact, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    contact = Contact.objects.select_related("client").get(pk=carol.pk)
    with django_assert_num_queries(1):
        tokens = portal_links_create_many(contacts=[contact, contact], actor=None)
    assert len(set(tokens)) == 2
    for token in tokens:
        link = portal_link_find(token)
        assert link is not None and link.contact_id == carol.pk


def test_no_link_for_an_archived_client(acme: Client, carol: Contact, alice: Persona) -> None:
    client_archive(client=acme, actor=alice.user)
    contact = Contact.objects.select_related("client").get(pk=carol.pk)
    with pytest.raises(ApplicationError) as refused:
        portal_links_create_many(contacts=[contact], actor=None)
    assert refused.value.field == "contact"
    assert not PortalLink.objects.filter(contact=carol).exists()
