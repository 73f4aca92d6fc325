from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from rapport.accounts.models import ApiToken, Invitation, Membership, User
from rapport.accounts.services import (
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_create,
    member_remove,
    user_signup,
)
from rapport.clients.models import Client
from rapport.conftest import PASSWORD, Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.delivery import deliver_due
from rapport.notifications.models import Notification


def test_signup_creates_owner_workspace_and_argon2_hash(db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        membership = user_signup(
            email="New@Example.com", name="New", password=PASSWORD, workspace_name="New Studio"
        )
    assert membership.is_owner
    assert membership.user.email == "new@example.com"
    assert membership.user.password.startswith("argon2")


def test_signup_refuses_duplicate_email_and_weak_password(alice: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        user_signup(email="ALICE@example.com", name="A", password=PASSWORD, workspace_name="W")
    assert exc.value.field == "email"
    with pytest.raises(ApplicationError) as exc:
        user_signup(email="bob@example.com", name="Bob", password="123", workspace_name="W")
    assert exc.value.field == "password"
    assert not User.objects.filter(email="bob@example.com").exists()


def test_signup_page(db: None) -> None:
    http = HttpClient()
    response = http.post(
        reverse("accounts:signup"),
        {
            "name": "Bob",
            "email": "bob@example.com",
            "password": PASSWORD,
            "workspace_name": "Bob Dev",
            "language": "ro",
            "timezone": "Europe/Bucharest",
        },
    )
    # The account waits for the emailed link (test_signup.py follows it).
    assert response.status_code == 200
    assert "accounts/signup_sent.html" in [t.name for t in response.templates]
    assert http.get(reverse("dashboard")).status_code == 302


def test_signup_page_shows_field_errors(db: None) -> None:
    response = HttpClient().post(reverse("accounts:signup"), {"name": "Bob", "email": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_login_and_logout(alice: Persona) -> None:
    http = HttpClient()
    response = http.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert http.post(reverse("accounts:logout")).status_code == 302
    assert http.get(reverse("dashboard")).status_code == 302


def test_login_attempts_are_throttled(alice: Persona) -> None:
    http = HttpClient()
    for _ in range(3):
        http.post(reverse("accounts:login"), {"username": "alice@example.com", "password": "wrong"})
    response = http.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_password_reset_by_email(alice: Persona) -> None:
    http = HttpClient()
    http.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    assert mail.outbox == []  # written to the outbox, sent by the deliverer
    assert deliver_due(worker="test") == 1
    assert len(mail.outbox) == 1
    found = re.search(r"https?://\S+/accounts/reset/\S+/", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(0)
    path = link.split("testserver", 1)[-1]
    response = http.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = http.post(
        form_url, {"new_password1": "a-new-Passw0rd!", "new_password2": "a-new-Passw0rd!"}
    )
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password("a-new-Passw0rd!")


def test_password_reset_unknown_email_sends_nothing(db: None) -> None:
    HttpClient().post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert mail.outbox == []


def test_owner_invites_member_who_joins(alice: Persona) -> None:
    invitation_create(membership=alice.membership, email="bob@example.com")
    # Through the outbox: nothing is sent until the deliverer runs.
    assert mail.outbox == []
    note = Notification.objects.get(kind="invitation")
    assert (note.address, note.user_id, note.contact_id) == ("bob@example.com", None, None)
    assert deliver_due(worker="test") == 1
    assert mail.outbox[0].to == ["bob@example.com"]
    assert mail.outbox[0].from_email == "Alice Design via Rapport <rapport@localhost>"
    found = re.search(r"/accounts/invitation/([^/]+)/", str(mail.outbox[0].body))
    assert found is not None
    token = found.group(1)
    membership = invitation_accept(token=token, user=None, name="Bob", password=PASSWORD)
    assert membership.workspace == alice.workspace
    assert membership.role == Membership.Role.MEMBER
    with pytest.raises(ApplicationError):
        invitation_accept(token=token, user=None, name="Bob", password=PASSWORD)


def test_invitation_is_stored_hashed(alice: Persona) -> None:
    invitation = invitation_create(membership=alice.membership, email="bob@example.com")
    assert len(invitation.token_hash) == 64
    assert Invitation.objects.filter(token_hash__contains="bob").count() == 0


def test_only_owner_invites_and_removes(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    bob_membership = Membership.objects.create(workspace=alice.workspace, user=bob)
    with pytest.raises(ApplicationError):
        invitation_create(membership=bob_membership, email="eve@example.com")
    with pytest.raises(ApplicationError):
        member_remove(membership=bob_membership, member_id=alice.membership.pk)


def test_removing_member_clears_their_account_ownership(alice: Persona, acme: Client) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    bob_membership = Membership.objects.create(workspace=alice.workspace, user=bob)
    Client.objects.filter(pk=acme.pk).update(account_owner=bob)
    member_remove(membership=alice.membership, member_id=bob_membership.pk)
    acme.refresh_from_db()
    assert acme.account_owner is None
    assert not Membership.objects.filter(pk=bob_membership.pk).exists()


def test_owner_cannot_be_removed(alice: Persona) -> None:
    with pytest.raises(ApplicationError):
        member_remove(membership=alice.membership, member_id=alice.membership.pk)


def test_owner_cannot_remove_another_workspaces_member(alice: Persona, mallory: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        member_remove(membership=alice.membership, member_id=mallory.membership.pk)
    assert exc.value.code == "not_found"


def test_api_token_is_hashed_and_revocable(alice: Persona) -> None:
    token, secret = api_token_create(membership=alice.membership, name="Zapier")
    assert secret not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    api_token_revoke(membership=alice.membership, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_settings_page_creates_token_and_shows_it_once(alice_http: HttpClient) -> None:
    response = alice_http.post(reverse("accounts:token_create"), {"tok-name": "CLI"})
    assert response.status_code == 200
    secret = response.context["new_token"]["secret"]
    assert secret.startswith("rpt_")
    assert secret not in alice_http.get(reverse("accounts:settings")).content.decode()


def test_workspace_settings_validation(alice_http: HttpClient) -> None:
    response = alice_http.post(
        reverse("accounts:workspace_save"),
        {
            "ws-name": "A",
            "ws-default_currency": "ZZZ",
            "ws-default_language": "en",
            "ws-timezone": "UTC",
        },
    )
    assert response.status_code == 400
    assert response.context["workspace_form"].errors["default_currency"]
