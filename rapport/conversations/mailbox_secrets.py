"""The mailbox password at rest (ADR 0017): sealed with a key derived from SECRET_KEY, so a
copy of the database alone (a backup, a dump) does not give the password away.

The construction is encrypt-then-MAC with HMAC-SHA256 as the keystream (counter mode) and as
the tag, from the standard library: the server has no other cryptography package, and the
password must be readable again to log in to the mailbox (a hash would not do).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

VERSION = "v1"
NONCE_BYTES = 16
TAG_BYTES = 32


class SealBroken(ValueError):
    """The sealed value was altered, or SECRET_KEY changed since it was sealed."""


def _keys() -> tuple[bytes, bytes]:
    master = hashlib.sha256(f"rapport.mailbox-password:{settings.SECRET_KEY}".encode()).digest()
    encryption = hmac.new(master, b"encryption", hashlib.sha256).digest()
    authentication = hmac.new(master, b"authentication", hashlib.sha256).digest()
    return encryption, authentication


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    stream = b"".join(
        hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        for counter in range(blocks)
    )
    return stream[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def seal(plain: str) -> str:
    """The password as stored: ``v1:`` + base64(nonce | ciphertext | tag)."""
    encryption, authentication = _keys()
    nonce = secrets.token_bytes(NONCE_BYTES)
    data = plain.encode()
    cipher = _xor(data, _keystream(encryption, nonce, len(data)))
    tag = hmac.new(authentication, nonce + cipher, hashlib.sha256).digest()
    return f"{VERSION}:" + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(sealed: str) -> str:
    """The password again; :class:`SealBroken` if it cannot be trusted."""
    version, _, payload = sealed.partition(":")
    if version != VERSION:
        raise SealBroken("unknown format")
    try:
        raw = base64.urlsafe_b64decode(payload.encode())
    except ValueError as exc:
        raise SealBroken("not base64") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealBroken("too short")
    nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    encryption, authentication = _keys()
    expected = hmac.new(authentication, nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise SealBroken("tag mismatch")
    data = _xor(cipher, _keystream(encryption, nonce, len(cipher)))
    return data.decode()
