"""Who is asking, on every staff request: Django's session (from the cache) and user, then the
membership of the chosen workspace (one query, with the open-alert count the navigation shows)."""

from __future__ import annotations

from typing import cast

from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from rapport.accounts.access import WorkspaceRequest
from rapport.accounts.middleware import SESSION_WORKSPACE_KEY
from rapport.accounts.models import Membership, User
from rapport.accounts.selectors import membership_current
from rapport.accounts.views import LOGIN_BACKEND
from rapport.conftest import PASSWORD, Persona


def _second_workspace(alice: Persona, mallory: Persona) -> Membership:
    """Alice also joins mallory's workspace, later than her own."""
    return Membership.objects.create(
        user=alice.user, workspace=mallory.workspace, role=Membership.Role.MEMBER
    )


def test_membership_current_reads_the_membership_with_its_workspace_in_one_query(
    alice: Persona, mallory: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _second_workspace(alice, mallory)
    with django_assert_num_queries(1):
        mine = membership_current(user=alice.user, workspace_id=None)
        assert mine is not None and mine.workspace.name == "Alice Design"


def test_membership_current_chooses_or_falls_back_to_the_oldest(
    alice: Persona, mallory: Persona
) -> None:
    joined = _second_workspace(alice, mallory)
    assert membership_current(user=alice.user, workspace_id=mallory.workspace.pk) == joined
    assert membership_current(user=alice.user, workspace_id=None) == alice.membership
    # A workspace the user no longer belongs to (left since it was chosen): the first one.
    assert membership_current(user=alice.user, workspace_id=mallory.workspace.pk + 99) == (
        alice.membership
    )


def test_user_without_membership_has_no_current_one(db: None) -> None:
    lonely = User.objects.create_user(email="lonely@example.com", password=PASSWORD, name="L")
    assert membership_current(user=lonely, workspace_id=None) is None


def test_a_staff_request_reads_who_is_asking_in_two_queries(
    alice: Persona, mallory: Persona, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    joined = _second_workspace(alice, mallory)
    http = HttpClient()
    http.force_login(alice.user, backend=LOGIN_BACKEND)
    session = http.session
    session[SESSION_WORKSPACE_KEY] = mallory.workspace.pk
    session.save()
    # the user, the membership, and the health view's own SELECT 1 (the session is cached)
    with django_assert_num_queries(3):
        assert http.get(reverse("health")).status_code == 200
    response = http.get(reverse("dashboard"))
    assert response.status_code == 200
    request = cast(WorkspaceRequest, response.wsgi_request)  # as WorkspaceMiddleware left it
    assert request.membership == joined
    assert request.workspace == mallory.workspace


def test_login_by_password(alice: Persona) -> None:
    http = HttpClient()
    response = http.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert http.session["_auth_user_backend"] == LOGIN_BACKEND
    assert http.get(reverse("dashboard")).status_code == 200


def test_inactive_user_is_logged_out(alice: Persona) -> None:
    http = HttpClient()
    http.force_login(alice.user, backend=LOGIN_BACKEND)
    User.objects.filter(pk=alice.user.pk).update(is_active=False)
    response = http.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_changed_password_ends_other_sessions(alice: Persona) -> None:
    http = HttpClient()
    http.force_login(alice.user, backend=LOGIN_BACKEND)
    assert http.get(reverse("dashboard")).status_code == 200
    user = User.objects.get(pk=alice.user.pk)
    user.set_password("another-long-passphrase-42")
    user.save()
    response = http.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
