"""Statements compiled once: the same rows and values as the ORM, and a cache that keeps SQL,
never data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.accounts.models import ApiToken, Membership
from rapport.accounts.selectors import api_token_membership
from rapport.accounts.services import api_token_create, api_token_revoke, member_remove
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.statements import (
    CompiledValues,
    PreparedQuery,
    PreparedQueryError,
    StatementCache,
)
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


# --- PreparedQuery: a page's read built and compiled once ------------------------------------


def _fields(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_prepared_query_reads_what_the_orm_reads(
    alice: Persona, mallory_data: Any, design_milestone: Any, layouts: Any
) -> None:
    from django.db.models import Prefetch

    from rapport.projects.selectors import _with_progress

    def build(workspace_id: int, since: datetime, day: Any) -> Any:
        return (
            _with_progress(Project.objects.filter(workspace_id=workspace_id))
            .filter(created_at__gte=since, milestones__due_date__gte=day)
            .select_related("client__workspace")
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("id")))
            .order_by("-created_at", "-id")
            .distinct()[:10]
        )

    from datetime import timedelta

    prepared = PreparedQuery(build, workspace_id=int, since=datetime, day=date)
    since, day = datetime(2000, 1, 1, tzinfo=UTC), date.today() - timedelta(days=1)
    for workspace in (alice.workspace, mallory_data["project"].workspace, alice.workspace):
        got = prepared.list(workspace_id=workspace.pk, since=since, day=day)
        want = list(build(workspace.pk, since, day))
        assert [p.pk for p in got] == [p.pk for p in want] and got
        for g, w in zip(got, want, strict=True):
            assert _fields(g) == _fields(w)
            assert (g.milestone_count, g.milestone_done_count, g.progress) == (
                w.milestone_count,
                w.milestone_done_count,
                w.progress,
            )
            assert _fields(g.client) == _fields(w.client)
            assert _fields(g.client.workspace) == _fields(w.client.workspace)
            assert [m.pk for m in g.milestones.all()] == [m.pk for m in w.milestones.all()]
    # Another workspace's rows never come back for this one.
    assert prepared.list(workspace_id=alice.workspace.pk + 1000, since=since, day=day) == []


def test_prepared_query_builds_and_compiles_once(alice: Persona, acme: Client) -> None:
    builds = []

    def build(workspace_id: int) -> Any:
        builds.append(workspace_id)
        return Client.objects.filter(workspace_id=workspace_id).order_by("id")

    prepared = PreparedQuery(build, workspace_id=int)
    with CaptureQueriesContext(connection) as queries:
        assert prepared.list(workspace_id=alice.workspace.pk) == [acme]
        assert prepared.list(workspace_id=alice.workspace.pk) == [acme]
        assert prepared.first(workspace_id=alice.workspace.pk + 1) is None
    assert len(builds) == 2  # the probe and the check with the first real values; then none
    assert len(queries) == 3  # one statement per call, nothing else


def test_prepared_query_refuses_what_it_cannot_bind(alice: Persona, acme: Client) -> None:
    import pytest

    searched = PreparedQuery(
        lambda workspace_id: Client.objects.filter(name__icontains=str(workspace_id)),
        workspace_id=int,
    )
    with pytest.raises(PreparedQueryError, match="bound values"):  # reaches SQL as '%…%'
        searched.list(workspace_id=1)
    constant = PreparedQuery(lambda workspace_id: Client.objects.all(), workspace_id=int)
    with pytest.raises(PreparedQueryError, match="bound values"):  # does not reach it
        constant.list(workspace_id=1)
    by_owner = PreparedQuery(
        lambda owner_id: Client.objects.filter(account_owner_id=owner_id), owner_id=int
    )
    with pytest.raises(PreparedQueryError, match="None"):  # IS NULL: another statement
        by_owner.list(owner_id=None)
    with pytest.raises(TypeError):
        by_owner.list(owner=1)
    by_day = PreparedQuery(lambda day: Milestone.objects.filter(due_date=day), day=date)
    with pytest.raises(PreparedQueryError, match="datetime"):
        by_day.list(day=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(PreparedQueryError, match="int, date or datetime"):
        PreparedQuery(lambda name: Client.objects.filter(name=name), name=str).list(name="x")
