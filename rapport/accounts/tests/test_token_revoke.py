"""Only a token's owner or the workspace owner revokes an API token."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import ApiToken, Membership, User
from rapport.accounts.services import api_token_create, api_token_revoke
from rapport.conftest import Persona, login
from rapport.core.errors import ApplicationError


@pytest.fixture
def bob(alice: Persona) -> Persona:
    """A member (not the owner) of alice's workspace."""
    user = User.objects.create_user("bob@example.com", "bob-password-1234", name="Bob")
    membership = Membership.objects.create(
        workspace=alice.workspace, user=user, role=Membership.Role.MEMBER
    )
    return Persona(user=user, membership=membership)


def _revoked(token: ApiToken) -> bool:
    token.refresh_from_db()
    return token.revoked_at is not None


def test_member_cannot_revoke_the_owners_token(alice: Persona, bob: Persona) -> None:
    token, _secret = api_token_create(membership=alice.membership, name="Zapier")
    with pytest.raises(ApplicationError) as exc:
        api_token_revoke(membership=bob.membership, token_id=token.pk)
    assert exc.value.code == "forbidden"
    assert not _revoked(token)


def test_member_revokes_their_own_token(bob: Persona) -> None:
    token, _secret = api_token_create(membership=bob.membership, name="CLI")
    api_token_revoke(membership=bob.membership, token_id=token.pk)
    assert _revoked(token)


def test_owner_revokes_a_members_token(alice: Persona, bob: Persona) -> None:
    token, _secret = api_token_create(membership=bob.membership, name="CLI")
    api_token_revoke(membership=alice.membership, token_id=token.pk)
    assert _revoked(token)


def test_member_is_refused_on_the_page(alice: Persona, bob: Persona) -> None:
    token, _secret = api_token_create(membership=alice.membership, name="Zapier")
    response = login(HttpClient(), bob).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 403
    assert "Only the token’s owner or the workspace owner can revoke it." in (
        response.content.decode().replace("&#x27;", "’").replace("'", "’")
    )
    assert not _revoked(token)


def test_outsider_gets_404(alice: Persona, mallory_http: HttpClient) -> None:
    token, _secret = api_token_create(membership=alice.membership, name="Zapier")
    response = mallory_http.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert not _revoked(token)


def test_settings_offers_revoke_only_where_it_is_allowed(alice: Persona, bob: Persona) -> None:
    theirs, _secret = api_token_create(membership=alice.membership, name="Zapier")
    mine, _secret = api_token_create(membership=bob.membership, name="CLI")
    http = login(HttpClient(), bob)
    page = http.get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:token_revoke", args=[mine.pk]) in page
    assert reverse("accounts:token_revoke", args=[theirs.pk]) not in page
    owner_page = login(HttpClient(), alice).get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:token_revoke", args=[mine.pk]) in owner_page
