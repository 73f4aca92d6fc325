"""alerts_raise_many: each alert once, in one insert; running it again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pytest_django import DjangoAssertNumQueries

from rapport.clients.models import Client
from rapport.commitments.models import Commitment
from rapport.commitments.services import promise_create
from rapport.conftest import Persona
from rapport.notifications.models import Alert
from rapport.notifications.services import NewAlert, alert_raise, alerts_raise_many

DUE = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def _alerts(
    acme: Client, alice: Persona, subject: Commitment, *, wording: str = "Send the logo files"
) -> list[NewAlert]:
    return [
        NewAlert(
            workspace_id=acme.workspace_id,
            kind=Alert.Kind.COMMITMENT_BROKEN,
            dedupe_key=f"broken:{subject.pk}",
            client_id=acme.pk,
            assignee_id=alice.user.pk,
            subject=subject,
            data={"wording": wording},
            severity=Alert.Severity.URGENT,
            due_at=DUE,
        ),
        NewAlert(workspace_id=acme.workspace_id, kind=Alert.Kind.UPDATE_DUE, dedupe_key="other"),
    ]


def _snapshot() -> list[Mapping[str, object]]:
    return list(Alert.objects.order_by("dedupe_key").values())


def test_raises_each_alert_in_one_query(
    acme: Client, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Send the logo files",
        due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    with django_assert_num_queries(1):
        alerts_raise_many(alerts=_alerts(acme, alice, promise))
    broken = Alert.objects.get(dedupe_key=f"broken:{promise.pk}")
    assert (broken.workspace_id, broken.client_id, broken.assignee_id) == (
        acme.workspace_id,
        acme.pk,
        alice.user.pk,
    )
    assert (broken.kind, broken.severity, broken.due_at, broken.state) == (
        Alert.Kind.COMMITMENT_BROKEN,
        Alert.Severity.URGENT,
        DUE,
        Alert.State.OPEN,
    )
    assert (broken.subject_type, broken.subject_id) == ("commitment", promise.pk)
    assert broken.data == {"wording": "Send the logo files"}
    other = Alert.objects.get(dedupe_key="other")
    assert (other.client_id, other.assignee_id, other.subject_type, other.subject_id) == (
        None,
        None,
        "",
        None,
    )
    assert (other.severity, other.data) == (Alert.Severity.WARNING, {})


def test_running_twice_changes_nothing(
    acme: Client, alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Send the logo files",
        due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    alerts_raise_many(alerts=_alerts(acme, alice, promise))
    first = _snapshot()
    with django_assert_num_queries(1):
        # The same keys with other data: the alerts raised first stay as they were.
        alerts_raise_many(alerts=_alerts(acme, alice, promise, wording="Something else"))
    assert _snapshot() == first
    assert len(first) == 2


def test_a_key_raised_one_at_a_time_is_left_alone(acme: Client, alice: Persona) -> None:
    _single, created = alert_raise(
        workspace=acme.workspace_id, kind=Alert.Kind.UPDATE_DUE, dedupe_key="other", data={"a": 1}
    )
    assert created
    alerts_raise_many(
        alerts=[
            NewAlert(
                workspace_id=acme.workspace_id,
                kind=Alert.Kind.COMMITMENT_BROKEN,
                dedupe_key="other",
                data={"a": 2},
            ),
            NewAlert(workspace_id=acme.workspace_id, kind=Alert.Kind.UPDATE_DUE, dedupe_key="new"),
        ]
    )
    assert list(Alert.objects.order_by("dedupe_key").values_list("dedupe_key", "kind", "data")) == [
        ("new", Alert.Kind.UPDATE_DUE, {}),
        ("other", Alert.Kind.UPDATE_DUE, {"a": 1}),
    ]
    # ...and the single one finds what the bulk one wrote.
    again, created = alert_raise(
        workspace=acme.workspace_id, kind=Alert.Kind.UPDATE_DUE, dedupe_key="new"
    )
    assert not created
    assert again.pk == Alert.objects.get(dedupe_key="new").pk


def test_a_key_twice_in_one_call_is_one_alert(acme: Client) -> None:
    twice = NewAlert(workspace_id=acme.workspace_id, kind=Alert.Kind.UPDATE_DUE, dedupe_key="k")
    alerts_raise_many(alerts=[twice, twice])
    assert Alert.objects.filter(dedupe_key="k").count() == 1


def test_nothing_to_raise_costs_no_query(
    db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        alerts_raise_many(alerts=[])
