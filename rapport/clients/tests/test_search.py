"""Client search: by name, tag, or a contact's name or email; never another workspace's."""

from __future__ import annotations

import pytest

from rapport.clients import selectors
from rapport.clients.selectors import client_list
from rapport.clients.services import client_create, contact_archive, contact_create


@pytest.fixture
def clients(alice, mallory):
    ws, me = alice.workspace, alice.user
    harbor = client_create(workspace=ws, actor=me, name="Harbor Coffee")
    tagged = client_create(workspace=ws, actor=me, name="Blue Ltd", industry_tags=["harbour"])
    by_contact = client_create(workspace=ws, actor=me, name="Quay Shop")
    contact_create(client=by_contact, actor=me, name="Ana Harbourne", email="ana@quay.example")
    by_email = client_create(workspace=ws, actor=me, name="North Studio")
    contact_create(client=by_email, actor=me, name="Ion", email="ion@harbourline.example")
    gone = client_create(workspace=ws, actor=me, name="Old Pier")
    old = contact_create(client=gone, actor=me, name="Harbour Archived", email="old@pier.example")
    contact_archive(contact=old, actor=me)
    client_create(workspace=ws, actor=me, name="Unrelated")
    outsider = client_create(workspace=mallory.workspace, actor=mallory.user, name="Harbour Evil")
    contact_create(client=outsider, actor=mallory.user, name="Harbour Eve", email="e@evil.example")
    return {"harbor": harbor, "tagged": tagged, "contact": by_contact, "email": by_email}


def _names(alice, query: str, *, first: bool = True) -> list[str]:
    found = client_list(workspace=alice.workspace, query=query, contacts_read_first=first)
    return sorted(c.name for c in found)


def test_search_by_name_tag_contact_and_email(alice, clients):
    assert _names(alice, "HARBOR") == ["Harbor Coffee"]
    # "harbour": a tag, a contact's name, a contact's email; not an archived contact, not
    # another workspace's client or contact.
    assert _names(alice, "harbour") == ["Blue Ltd", "North Studio", "Quay Shop"]
    assert _names(alice, "nobody") == []
    for query in ("HARBOR", "harbour", "nobody"):  # the API's way: one statement
        assert _names(alice, query, first=False) == _names(alice, query)


def test_contacts_found_by_id_or_by_subquery_give_the_same(alice, clients, monkeypatch):
    expected = _names(alice, "harbour")
    monkeypatch.setattr(selectors, "CONTACT_MATCH_IDS", 1)  # two clients found by contacts
    assert _names(alice, "harbour") == expected


def test_search_reads_contact_matches_first(alice, clients, django_assert_num_queries):
    with django_assert_num_queries(2):  # the contacts' client ids, then the clients
        assert (
            len(
                list(
                    client_list(
                        workspace=alice.workspace, query="harbour", contacts_read_first=True
                    )
                )
            )
            == 3
        )
    with django_assert_num_queries(2):  # no contact matches: the clients by name and tag only
        assert (
            len(
                list(
                    client_list(workspace=alice.workspace, query="coffee", contacts_read_first=True)
                )
            )
            == 1
        )
