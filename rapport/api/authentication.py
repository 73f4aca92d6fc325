"""Bearer tokens for the API, looked up by their SHA-256 (the secret itself is never stored)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from rapport.accounts.models import ApiToken, Membership
from rapport.core.tokens import token_hash


class HashedTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in {self.keyword, b"token"}:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Invalid Authorization header: expected 'Bearer <token>'.")
        try:
            secret = parts[1].decode()
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed("Invalid token.") from exc
        # One query: the membership of the token's user in the token's workspace, with both,
        # found through the token. No row when the token is unknown or revoked, or when the
        # member left the workspace (their tokens stop working).
        found = list(
            Membership.objects.select_related("user", "workspace")
            .filter(
                workspace__api_tokens__key_hash=token_hash(secret),
                workspace__api_tokens__revoked_at__isnull=True,
                workspace__api_tokens__user_id=F("user_id"),
            )
            .annotate(
                token_id=F("workspace__api_tokens__id"),
                token_last_used_at=F("workspace__api_tokens__last_used_at"),
            )[:1]
        )
        if not found or not found[0].user.is_active:
            raise AuthenticationFailed("Invalid or revoked token.")
        membership = found[0]
        token = ApiToken(
            pk=membership.token_id,  # type: ignore[attr-defined]
            user=membership.user,
            workspace=membership.workspace,
            last_used_at=membership.token_last_used_at,  # type: ignore[attr-defined]
        )
        # Touch at most once a minute so that reads do not all become writes.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.workspace = token.workspace  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"
