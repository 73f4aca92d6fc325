from __future__ import annotations

from typing import Any

import pytest

from rapport.clients.models import Client, Contact
from rapport.clients.services import (
    client_archive,
    client_create,
    client_restore,
    client_update,
    contact_create,
    contact_update,
    important_date_add,
)
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent


def test_client_create_uses_workspace_defaults_and_records_timeline(alice: Persona) -> None:
    client = client_create(workspace=alice.workspace, actor=alice.user, name="  Beta SA ")
    assert client.name == "Beta SA"
    assert client.currency == alice.workspace.default_currency
    assert client.account_owner == alice.user
    event = TimelineEvent.objects.get(client=client)
    assert event.verb == "client.created"
    assert event.actor == alice.user
    assert "Beta SA" in event.describe()


def test_tags_are_normalised_and_indexed(alice: Persona) -> None:
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Gamma",
        industry_tags=[" Retail", "retail", "Fashion "],
        competitor_tags="shoes, bags",
    )
    assert client.industry_tags == ["retail", "fashion"]
    assert client.competitor_tags == ["shoes", "bags"]
    assert client.tag_index == "|bags|fashion|retail|shoes|"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "XXY"),
        ("timezone", "Mars/Olympus"),
        ("language", "fr"),
        ("status", "friend"),
        ("glossary", [{"term": "pop-up"}]),
        ("glossary", "pop-up"),
        ("industry_tags", ["x" * 60]),
        ("name", ""),
    ],
)
def test_client_create_refuses_bad_input_naming_the_field(
    alice: Persona, field: str, value: object
) -> None:
    data: dict[str, Any] = {"name": "Delta", field: value}
    with pytest.raises(ApplicationError) as exc:
        client_create(workspace=alice.workspace, actor=alice.user, **data)
    assert field in exc.value.as_dict()
    assert not Client.objects.filter(name="Delta").exists()


def test_account_owner_must_be_a_member(alice: Persona, mallory: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        client_create(
            workspace=alice.workspace, actor=alice.user, name="X", account_owner=mallory.user
        )
    assert exc.value.field == "account_owner"


def test_unknown_field_refused(alice: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        client_create(workspace=alice.workspace, actor=alice.user, name="X", workspace_id=99)
    assert exc.value.field == "workspace_id"


def test_status_change_is_its_own_timeline_event(alice: Persona, acme: Client) -> None:
    client_update(client=acme, actor=alice.user, status=Client.Status.PAST, referral_source="fair")
    verbs = list(TimelineEvent.objects.filter(client=acme).values_list("verb", flat=True)[:2])
    assert set(verbs) == {"client.status_changed", "client.updated"}


def test_update_without_changes_writes_nothing(alice: Persona, acme: Client) -> None:
    before = TimelineEvent.objects.count()
    client_update(client=acme, actor=alice.user, name="Acme Ltd")
    assert TimelineEvent.objects.count() == before


def test_archive_and_restore(alice: Persona, acme: Client) -> None:
    client_archive(client=acme, actor=alice.user)
    assert Client.objects.for_workspace(alice.workspace).active().count() == 0
    client_restore(client=acme, actor=alice.user)
    assert Client.objects.for_workspace(alice.workspace).active().count() == 1


def test_duplicate_contact_email_in_a_client_is_refused(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    with pytest.raises(ApplicationError) as exc:
        contact_create(
            client=acme, actor=alice.user, name="Other Carol", email="CAROL@acme.example"
        )
    assert exc.value.field == "email"
    assert Contact.objects.filter(client=acme).count() == 1


def test_same_email_in_another_client_is_fine(alice: Persona, acme: Client, carol: Contact) -> None:
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    contact_create(client=other, actor=alice.user, name="Carol", email="carol@acme.example")


def test_preferred_channel_needs_its_address(alice: Persona, acme: Client) -> None:
    with pytest.raises(ApplicationError) as exc:
        contact_create(client=acme, actor=alice.user, name="Dan", preferred_channel="telegram")
    assert exc.value.field == "telegram"


def test_contact_hours_need_both_ends(alice: Persona, carol: Contact) -> None:
    import datetime

    with pytest.raises(ApplicationError) as exc:
        contact_update(
            contact=carol,
            actor=alice.user,
            contact_hours_start=datetime.time(9),
            contact_hours_end=None,
        )
    assert exc.value.field == "contact_hours_end"


def test_contact_language_falls_back_to_client(alice: Persona, acme: Client) -> None:
    dan = contact_create(client=acme, actor=alice.user, name="Dan", email="dan@acme.example")
    assert dan.effective_language == "el"
    assert dan.effective_timezone == "Europe/Athens"


def test_text_is_stored_as_given(alice: Persona) -> None:
    client = client_create(workspace=alice.workspace, actor=alice.user, name="<b>Bold & Co</b>")
    client.refresh_from_db()
    assert client.name == "<b>Bold & Co</b>"


@pytest.mark.parametrize(
    ("month", "day", "field"), [(2, 30, "day"), (13, 1, "month"), (4, 31, "day")]
)
def test_important_date_must_exist(carol: Contact, month: int, day: int, field: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        important_date_add(contact=carol, kind="birthday", month=month, day=day)
    assert exc.value.field == field


def test_important_date_29_february_without_year(carol: Contact) -> None:
    item = important_date_add(contact=carol, kind="birthday", month=2, day=29)
    assert item.pk
