"""Client search: by name, tag, or a contact's name or email; never another workspace's."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from rapport.clients import selectors
from rapport.clients.models import Client
from rapport.clients.selectors import client_list
from rapport.clients.services import client_create, contact_archive, contact_create
from rapport.conftest import Persona


@pytest.fixture
def clients(alice: Persona, mallory: Persona) -> dict[str, Client]:
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


def _names(alice: Persona, query: str) -> list[str]:
    return sorted(c.name for c in client_list(workspace=alice.workspace, query=query))


def test_search_by_name_tag_contact_and_email(alice: Persona, clients: dict[str, Client]) -> None:
    assert _names(alice, "HARBOR") == ["Harbor Coffee"]
    # "harbour": a tag, a contact's name, a contact's email; not an archived contact, not
    # another workspace's client or contact.
    assert _names(alice, "harbour") == ["Blue Ltd", "North Studio", "Quay Shop"]
    assert _names(alice, "nobody") == []


def test_contacts_found_by_id_or_by_subquery_give_the_same(
    alice: Persona, clients: dict[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _names(alice, "harbour")
    monkeypatch.setattr(selectors, "CONTACT_MATCH_IDS", 1)  # two clients found by contacts
    assert _names(alice, "harbour") == expected


def test_search_reads_contact_matches_first(
    alice: Persona, clients: dict[str, Client], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):  # the contacts' client ids, then the clients
        assert len(_names(alice, "harbour")) == 3
    with django_assert_num_queries(2):  # no contact matches: the clients by name and tag only
        assert _names(alice, "coffee") == ["Harbor Coffee"]


def test_many_contact_matches_stay_a_subquery(
    alice: Persona,
    clients: dict[str, Client],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # More matching clients than are listed by id: the contacts are not fetched to test
    # whether there are any, the search reads them as a subquery of its one statement.
    monkeypatch.setattr(selectors, "CONTACT_MATCH_IDS", 1)
    with django_assert_num_queries(2) as captured:  # the ids (one too many), the clients
        assert _names(alice, "harbour") == ["Blue Ltd", "North Studio", "Quay Shop"]
    assert "clients_contact" in captured.captured_queries[-1]["sql"]


def test_search_with_counts_left_out(alice: Persona, clients: dict[str, Client]) -> None:
    found = client_list(workspace=alice.workspace, query="harbour", contact_counts=False)
    assert sorted(c.name for c in found) == ["Blue Ltd", "North Studio", "Quay Shop"]
    assert "contact_count" not in str(found.query)
    counted = client_list(workspace=alice.workspace, query="harbour")
    # An annotation, which the model's type does not know.
    assert {c.name: vars(c)["contact_count"] for c in counted} == {
        "Blue Ltd": 0,
        "North Studio": 1,
        "Quay Shop": 1,
    }
