"""Random secrets that are stored only as their SHA-256 (magic links, invitations, API keys)."""

from __future__ import annotations

import hashlib
import secrets


def token_generate() -> tuple[str, str]:
    """Return ``(token, token_hash)``: 256 bits of randomness and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
