"""Who is asking, read once per staff request: the session (rapport.core.sessions) and the
user with their memberships (MemberBackend), each one composed statement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import Model
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.backends import MEMBER_BACKEND, MemberBackend
from rapport.accounts.middleware import SESSION_WORKSPACE_KEY
from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.selectors import membership_current, user_with_memberships
from rapport.conftest import PASSWORD, Persona
from rapport.core.sessions import SessionStore
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise


def _columns(instance: Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _second_workspace(alice: Persona, mallory: Persona) -> Membership:
    """Alice also joins mallory's workspace, later than her own."""
    return Membership.objects.create(
        user=alice.user, workspace=mallory.workspace, role=Membership.Role.MEMBER
    )


def test_user_with_memberships_reads_user_workspaces_and_open_alerts(alice, mallory):
    joined = _second_workspace(alice, mallory)
    kind = Alert.Kind.COMMITMENT_BROKEN
    for n in range(2):
        alert_raise(workspace=alice.workspace, kind=kind, dedupe_key=f"a{n}")
    alert_raise(workspace=mallory.workspace, kind=kind, dedupe_key="m0")
    dismissed, _ = alert_raise(workspace=alice.workspace, kind=kind, dedupe_key="x")
    Alert.objects.filter(pk=dismissed.pk).update(state=Alert.State.DISMISSED)

    user = user_with_memberships(user_id=alice.user.pk)

    assert user == alice.user and user.password == alice.user.password
    memberships = user.memberships_read  # type: ignore[attr-defined]
    assert [m.pk for m in memberships] == [alice.membership.pk, joined.pk]  # oldest first
    assert [m.workspace.name for m in memberships] == ["Alice Design", "Mallory Studio"]
    assert [m.open_alert_count for m in memberships] == [2, 1]  # open alerts only
    assert all(m.user is user for m in memberships)
    # Every column as the ORM reads it (types included: datetimes, JSON, decimals).
    assert _columns(user) == _columns(User.objects.get(pk=alice.user.pk))
    for membership in memberships:
        assert _columns(membership) == _columns(Membership.objects.get(pk=membership.pk))
        assert _columns(membership.workspace) == _columns(
            Workspace.objects.get(pk=membership.workspace_id)
        )


def test_user_without_membership_and_unknown_user(db):
    lonely = User.objects.create_user(email="lonely@example.com", password=PASSWORD, name="L")
    user = user_with_memberships(user_id=lonely.pk)
    assert user == lonely and user.memberships_read == []  # type: ignore[attr-defined]
    assert membership_current(user=user, workspace_id=None) is None
    assert user_with_memberships(user_id=lonely.pk + 1000) is None


def test_membership_current_chooses_among_the_memberships_read(alice, mallory):
    joined = _second_workspace(alice, mallory)
    user = user_with_memberships(user_id=alice.user.pk)
    assert membership_current(user=user, workspace_id=mallory.workspace.pk) == joined
    assert membership_current(user=user, workspace_id=None) == alice.membership
    # A workspace the user no longer belongs to (left since it was chosen): the first one.
    assert membership_current(user=user, workspace_id=mallory.workspace.pk + 99).pk == (
        alice.membership.pk
    )


def test_backend_get_user_refuses_inactive_and_malformed(alice, django_assert_num_queries):
    backend = MemberBackend()
    with django_assert_num_queries(1):
        assert backend.get_user(str(alice.user.pk)) == alice.user
    assert backend.get_user("not-a-number") is None
    User.objects.filter(pk=alice.user.pk).update(is_active=False)
    assert backend.get_user(alice.user.pk) is None


def test_a_staff_request_reads_session_and_identity_in_two_queries(
    alice, mallory, django_assert_num_queries
):
    joined = _second_workspace(alice, mallory)
    http = HttpClient()
    http.force_login(alice.user, backend=MEMBER_BACKEND)
    session = http.session
    session[SESSION_WORKSPACE_KEY] = mallory.workspace.pk
    session.save()
    # session, user with memberships, and the health view's own SELECT 1
    with django_assert_num_queries(3):
        assert http.get(reverse("health")).status_code == 200
    response = http.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.membership == joined  # type: ignore[attr-defined]
    assert response.wsgi_request.workspace == mallory.workspace  # type: ignore[attr-defined]


def test_login_by_password_uses_member_backend(alice):
    http = HttpClient()
    response = http.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert http.session["_auth_user_backend"] == MEMBER_BACKEND
    assert http.get(reverse("dashboard")).status_code == 200


def test_changed_password_ends_other_sessions(alice):
    """Django's session hash check still runs on the user MemberBackend reads."""
    http = HttpClient()
    http.force_login(alice.user, backend=MEMBER_BACKEND)
    assert http.get(reverse("dashboard")).status_code == 200
    user = User.objects.get(pk=alice.user.pk)
    user.set_password("another-long-passphrase-42")
    user.save()
    response = http.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_session_store_reads_live_sessions_only(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"answer": 42}
    read = SessionStore(key)._get_session_from_db()
    assert read is not None and _columns(read) == _columns(Session.objects.get(pk=key))

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # forgotten, as Django's store does

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


@pytest.mark.parametrize("key", [None, ""])
def test_session_store_without_key(db, key):
    assert SessionStore(key).load() == {}


def test_session_with_a_user_survives_the_round_trip(alice):
    http = HttpClient()
    http.force_login(alice.user, backend=MEMBER_BACKEND)
    key = http.cookies["sessionid"].value
    assert SessionStore(key).load()[SESSION_KEY] == str(alice.user.pk)
