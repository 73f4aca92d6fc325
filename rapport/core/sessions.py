"""Database sessions whose per-request read is one statement composed once per process.

Django's database session store reads the session with ``Session.objects.get(...)``, a
queryset built and compiled on every request that carries a session cookie (every staff and
portal page). This store reads it with the same statement written once
(rapport.core.statements); writing, expiring and cleaning sessions stay Django's own.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from rapport.core.statements import ModelColumns, fetch_joined


@cache
def _session_statement(using: str) -> tuple[str, ModelColumns]:
    columns = ModelColumns(Session, "s", using)
    # The table and column names come from the model; the key and the time are parameters.
    sql = (
        f"SELECT {columns.sql} FROM {columns.table} s"  # noqa: S608
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )
    return sql, columns


class SessionStore(DatabaseSessionStore):
    """Django's database session store; only the read of an existing session differs."""

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        using = router.db_for_read(Session)
        sql, columns = _session_statement(using)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        found = fetch_joined(sql, [key, now], [columns], using)
        if found is None:
            self._session_key = None  # as Django's store: an unknown key is forgotten
            return None
        (session,) = found
        assert isinstance(session, Session)
        return session
