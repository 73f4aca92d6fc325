"""The navigation's open-alert badge: the workspace's open alerts, one COUNT, only when shown."""

from __future__ import annotations

from typing import cast

from django.db import connection
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from rapport.accounts.access import WorkspaceRequest
from rapport.accounts.models import Membership
from rapport.conftest import Persona
from rapport.notifications.context_processors import open_alert_count, open_alerts
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise


def test_counts_the_open_alerts_of_the_workspace_only(
    alice: Persona, mallory: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    kind = Alert.Kind.COMMITMENT_BROKEN
    for n in range(2):
        alert_raise(workspace=alice.workspace, kind=kind, dedupe_key=f"a{n}")
    alert_raise(workspace=mallory.workspace, kind=kind, dedupe_key="m0")
    dismissed, _ = alert_raise(workspace=alice.workspace, kind=kind, dedupe_key="x")
    Alert.objects.filter(pk=dismissed.pk).update(state=Alert.State.DISMISSED)
    with django_assert_num_queries(1):
        assert open_alert_count(workspace=alice.workspace) == 2
    assert open_alert_count(workspace=mallory.workspace) == 1


def test_counted_only_when_a_template_shows_it(
    alice: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    request = cast(WorkspaceRequest, RequestFactory().get("/"))  # as the middleware leaves it
    request.workspace = alice.workspace
    with django_assert_num_queries(0):
        context = open_alerts(request)
    alert_raise(workspace=alice.workspace, kind=Alert.Kind.COMMITMENT_BROKEN, dedupe_key="a")
    with django_assert_num_queries(1):
        assert str(context["open_alert_count"]) == "1"
    request.workspace = None
    assert open_alerts(request) == {"open_alert_count": 0}


def test_the_navigation_shows_the_chosen_workspaces_count(
    alice: Persona, alice_http: HttpClient, mallory: Persona
) -> None:
    Membership.objects.create(
        user=alice.user, workspace=mallory.workspace, role=Membership.Role.MEMBER
    )
    alert_raise(workspace=mallory.workspace, kind=Alert.Kind.COMMITMENT_BROKEN, dedupe_key="m")
    page = alice_http.get(reverse("projects:list")).content.decode()
    assert '<span class="badge overdue">' not in page
    alert_raise(workspace=alice.workspace, kind=Alert.Kind.COMMITMENT_BROKEN, dedupe_key="a")
    with CaptureQueriesContext(connection) as ctx:
        page = alice_http.get(reverse("projects:list")).content.decode()
    assert '<span class="badge overdue">1</span>' in page
    badge = [q for q in ctx.captured_queries if "notifications_alert" in q["sql"]]
    assert len(badge) == 1 and "COUNT(*)" in badge[0]["sql"]
