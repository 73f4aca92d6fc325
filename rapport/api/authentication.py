"""Bearer tokens for the API, looked up by their SHA-256 (the secret itself is never stored)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from rapport.accounts.models import ApiToken
from rapport.accounts.selectors import api_token_active
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
        token = api_token_active(key_hash=token_hash(secret))
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid or revoked token.")
        # Touch at most once a minute so that reads do not all become writes.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"
