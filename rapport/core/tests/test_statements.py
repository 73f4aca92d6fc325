"""Statements compiled once: the same rows and values as the ORM, and a cache that keeps SQL,
never data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.accounts.models import ApiToken, Membership
from rapport.accounts.selectors import api_token_membership
from rapport.accounts.services import api_token_create, api_token_revoke, member_remove
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.statements import CompiledValues, StatementCache
from rapport.core.tokens import token_hash
from rapport.projects.models import Milestone, Project


def test_compiled_values_read_what_the_orm_reads(carol: Contact, design_milestone: Any) -> None:
    for queryset in (
        Contact.objects.values_list("id", "name", "created_at", "contact_hours_start"),
        Client.objects.values_list("id", "industry_tags", "glossary", "updated_at"),
        Milestone.objects.values_list("id", "due_date", "progress", "completed_at"),
        Project.objects.values_list("id", "budget", "archived_at"),
    ):
        compiled = CompiledValues(queryset)
        assert compiled.rows() == list(queryset)
        assert compiled.rows() == list(queryset)  # and again, the same statement
    created = CompiledValues(Contact.objects.values_list("created_at")).rows()[0][0]
    assert isinstance(created, datetime) and created.tzinfo is not None
    assert CompiledValues(Contact.objects.none().values_list("id")).rows() == []


def test_statement_cache_keeps_the_recent_and_drops_the_oldest() -> None:
    cache = StatementCache(size=2)
    built: list[str] = []

    def build(name: str) -> Any:
        def run() -> str:
            built.append(name)
            return name.upper()

        return run

    assert cache.get("a", build("a")) == "A"
    assert cache.get("b", build("b")) == "B"
    assert cache.get("a", build("a")) == "A"  # kept; now the most recent
    assert cache.get("c", build("c")) == "C"  # "b" goes
    assert cache.get("a", build("a")) == "A"
    assert cache.get("b", build("b")) == "B"
    assert built == ["a", "b", "c", "b"]


def test_api_token_membership_is_the_membership_with_its_rows(alice: Persona) -> None:
    token, secret = api_token_create(membership=alice.membership, name="t")
    with CaptureQueriesContext(connection) as captured:
        found = api_token_membership(key_hash=token_hash(secret))
    assert len(captured.captured_queries) == 1
    assert found is not None
    assert found == alice.membership and found.role == alice.membership.role
    assert found.user == alice.user and found.user.email == alice.user.email
    assert found.workspace == alice.workspace and found.workspace.name == alice.workspace.name
    found_token = found.token  # type: ignore[attr-defined]
    assert isinstance(found_token, ApiToken) and found_token.pk == token.pk
    assert found_token.created_at == ApiToken.objects.get(pk=token.pk).created_at
    assert found_token.created_at.tzinfo is not None
    assert found.created_at == Membership.objects.get(pk=found.pk).created_at


def test_api_token_membership_is_none_when_revoked_unknown_or_the_member_left(
    alice: Persona, mallory: Persona
) -> None:
    assert api_token_membership(key_hash=token_hash("rpt_made_up")) is None
    token, secret = api_token_create(membership=alice.membership, name="t")
    api_token_revoke(membership=alice.membership, token_id=token.pk)
    assert api_token_membership(key_hash=token_hash(secret)) is None
    member = Membership.objects.create(
        workspace=alice.workspace, user=mallory.user, role=Membership.Role.MEMBER
    )
    _token, member_secret = api_token_create(membership=member, name="m")
    assert api_token_membership(key_hash=token_hash(member_secret)) is not None
    member_remove(membership=alice.membership, member_id=member.pk)
    assert api_token_membership(key_hash=token_hash(member_secret)) is None
