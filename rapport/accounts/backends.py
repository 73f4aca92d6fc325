"""The authentication backend: Django's ModelBackend, with the user read for each request
together with their memberships (docs/adr/0011-member-backend.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from rapport.accounts.models import User
from rapport.accounts.selectors import user_with_memberships

# The dotted path a session records for a user logged in by this backend.
MEMBER_BACKEND = "rapport.accounts.backends.MemberBackend"


class MemberBackend(ModelBackend):
    """Passwords, permissions and ``user_can_authenticate`` exactly as ModelBackend; only
    ``get_user`` differs. Django calls it on every request with a session (from
    ``django.contrib.auth.get_user``, which still checks the session's password hash); it
    reads the user and their memberships in one statement, so that the workspace middleware
    chooses the current membership without a query of its own."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        try:
            pk = User._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:  # a malformed id in a session is no user
            return None
        user = user_with_memberships(user_id=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
