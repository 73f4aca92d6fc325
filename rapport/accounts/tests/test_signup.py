"""Sign-up answers the same whether or not the address is registered; what happens next comes
by email, through the outbox."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.models import User, Workspace
from rapport.accounts.signup import signup_finish, signup_request
from rapport.conftest import PASSWORD, Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification

OTHER_PASSWORD = "another-long-passphrase-9"


def _form(email: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    return {
        "name": "Bob Ionescu",
        "email": email,
        "password": password,
        "workspace_name": "Bob Dev",
        "language": "ro",
        "timezone": "Europe/Bucharest",
    } | extra


def _sign_up(email: str, password: str = PASSWORD, **extra: str) -> Any:
    return HttpClient().post(reverse("accounts:signup"), _form(email, password, **extra))


def _last_email(to: str) -> Notification:
    notification = Notification.objects.filter(address=to).order_by("-id").first()
    assert notification is not None, f"no email to {to} in the outbox"
    return notification


def _finish_path(notification: Notification) -> str:
    found: set[str] = set(
        re.findall(r"/accounts/signup/finish/[^/\s\"]+/[^/\s\"]+/", notification.body)
    )
    [path] = found
    assert 'href="http' in notification.html and path in notification.html
    return path


def test_same_answer_for_new_and_registered_addresses(alice: Persona) -> None:
    new = _sign_up("bob@example.com")
    known = _sign_up("ALICE@example.com")
    assert new.status_code == known.status_code == 200

    def page_templates(response: Any) -> list[str]:
        # The emails' templates render in the same request; the page's are what the visitor gets.
        return [t.name for t in response.templates if not t.name.startswith("accounts/email/")]

    assert page_templates(new) == page_templates(known)

    # The page differs only by the address it repeats (and the per-response CSP nonce).
    def page_text(response: Any, email: str) -> str:
        text = response.content.decode().replace(email, "X")
        # Per-response secrets: the CSP nonce and the CSRF token (hx-headers and the form's).
        return re.sub(r'(nonce="|CSRFToken": "|value=")[A-Za-z0-9_-]{16,}', r"\1", text)

    assert page_text(new, "bob@example.com") == page_text(known, "alice@example.com")
    # Both get exactly one email through the outbox, in the language they chose or have.
    assert Notification.objects.filter(address="bob@example.com").count() == 1
    assert Notification.objects.filter(address="alice@example.com").count() == 1


def test_registered_address_gets_log_in_or_reset_and_nothing_changes(alice: Persona) -> None:
    password_hash = alice.user.password
    workspaces = Workspace.objects.count()
    _sign_up("alice@example.com", OTHER_PASSWORD, workspace_name="Taken over")
    email = _last_email("alice@example.com")
    assert email.kind == "signup_exists"
    assert email.workspace_id == alice.workspace.pk
    assert "already have an account" in email.body
    assert reverse("accounts:password_reset") in email.body
    assert reverse("accounts:login") in email.body
    alice.user.refresh_from_db()
    assert alice.user.password == password_hash and alice.user.is_active
    assert Workspace.objects.count() == workspaces


def test_both_paths_run_the_same_number_of_password_hashes(alice: Persona) -> None:
    # Time must not tell either: each path hashes the password exactly once (argon2 is the
    # cost that would show). Counted, not timed.
    from django.contrib.auth import hashers

    calls: list[str] = []
    real = hashers.make_password

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append("hash")
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hashers, "make_password", counting)
        patch.setattr("django.contrib.auth.base_user.make_password", counting)
        patch.setattr("rapport.accounts.signup.make_password", counting)
        signup_request(email="bob@example.com", name="Bob", password=PASSWORD, workspace_name="B")
        new_path = len(calls)
        calls.clear()
        signup_request(email="alice@example.com", name="A", password=PASSWORD, workspace_name="B")
        known_path = len(calls)
    assert new_path == known_path == 1


def test_new_address_finishes_through_the_emailed_link(db: None) -> None:
    assert _sign_up("bob@example.com").status_code == 200
    user = User.objects.get(email="bob@example.com")
    assert not user.is_active
    http = HttpClient()
    # Not usable before the link is followed.
    refused = http.post(
        reverse("accounts:login"), {"username": "bob@example.com", "password": PASSWORD}
    )
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    email = _last_email("bob@example.com")
    assert email.kind == "signup_finish" and email.language == "ro"
    path = _finish_path(email)
    page = http.get(path)  # a mail scanner's GET changes nothing
    assert page.status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    wrong = http.post(path, {"password": OTHER_PASSWORD})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["password"]
    done = http.post(path, {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    assert http.get(reverse("dashboard")).status_code == 200
    user.refresh_from_db()
    assert user.is_active and user.timezone == "Europe/Bucharest"
    # Spent: the link does not work twice.
    assert HttpClient().get(path).status_code == 404


def test_signing_up_again_replaces_an_unfinished_sign_up(db: None) -> None:
    _sign_up("bob@example.com", PASSWORD)
    first = _finish_path(_last_email("bob@example.com"))
    _sign_up("bob@example.com", OTHER_PASSWORD, workspace_name="Bob Studio")
    second = _finish_path(_last_email("bob@example.com"))
    assert User.objects.filter(email="bob@example.com").count() == 1
    assert HttpClient().get(first).status_code == 404  # the earlier link is dead
    http = HttpClient()
    # The link needs the password of its own sign-up: one triggered by someone else is useless.
    assert http.post(second, {"password": PASSWORD}).status_code == 400
    assert http.post(second, {"password": OTHER_PASSWORD}).status_code == 302
    assert Workspace.objects.get(memberships__user__email="bob@example.com").name == "Bob Studio"


def test_invalid_link_is_a_clear_404(db: None) -> None:
    response = HttpClient().get(reverse("accounts:signup_finish", args=["MQ", "nope-token"]))
    assert response.status_code == 404
    assert "Link not valid" in response.content.decode()
    with pytest.raises(ApplicationError) as exc:
        signup_finish(uidb64="zz", token="x", password=PASSWORD)
    assert exc.value.field == "token"


def test_weak_password_is_refused_the_same_for_any_address(alice: Persona) -> None:
    for email in ("alice@example.com", "bob@example.com"):
        response = _sign_up(email, "123")
        assert response.status_code == 200
        assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="bob@example.com").exists()
    assert not Notification.objects.filter(address__in=["alice@example.com", "bob@example.com"])


@override_settings(LANGUAGE_CODE="en")
def test_signup_answer_runs_a_fixed_number_of_queries(alice: Persona) -> None:
    _sign_up("warm@example.com")  # caches warmed
    with CaptureQueriesContext(connection) as new:
        _sign_up("bob@example.com")
    with CaptureQueriesContext(connection) as known:
        _sign_up("alice@example.com")
    assert len(new) <= 60 and len(known) <= 20
