"""Tell django-axes who is logging in: our users log in with their email, not a username."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Axes keys failed attempts by this value (together with the IP address)."""
    for source in (credentials or {}, request.POST):
        for key in ("email", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
