"""Portal reads prepared once per process, scoped to the contact's client and workspace.

Every portal read filters by the contact's ``client_id`` and ``workspace_id`` (portal.access)
and by nothing else of the contact. ``for_contact`` turns such a selector into a reader
whose statement is built and compiled once (core.statements.PreparedQuery), the two ids
bound on each call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Model, QuerySet

from rapport.clients.models import Contact
from rapport.core.statements import PreparedQuery


@dataclass(frozen=True)
class _Scope:
    """What the portal selectors read of a contact: its client and its workspace."""

    client_id: int
    workspace_id: int


def for_contact[M: Model](
    build: Callable[..., QuerySet[M, Any]], **params: type
) -> Callable[..., list[Any]]:
    """A reader of ``build(contact, **values)``'s rows, prepared once: ``build`` may use the
    contact's ``client_id`` and ``workspace_id`` only (as the portal selectors do), and the
    further ``params`` (their kinds as in PreparedQuery)."""
    prepared: PreparedQuery[M] = PreparedQuery(
        lambda client_id, workspace_id, **values: build(
            cast(Contact, _Scope(client_id, workspace_id)), **values
        ),
        client_id=int,
        workspace_id=int,
        **params,
    )

    def read(contact: Contact, **values: Any) -> list[Any]:
        return prepared.list(
            client_id=contact.client_id, workspace_id=contact.workspace_id, **values
        )

    return read
