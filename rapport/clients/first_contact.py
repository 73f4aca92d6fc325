"""A new client and its first contact, written together from the one "new client" form.

Most freelancers add a client because a person wrote to them: the form asks for that person
too, so the client can get a portal link and updates at once. The contact part is optional
(a lead may be only a company name for now): left blank, only the client is written. Given,
both rows are written in one transaction: a refused contact leaves no client behind.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts.business import Identity
from rapport.accounts.models import User, Workspace
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.core.errors import ApplicationError

# What the new-client form asks of the first contact; the rest is on the contact's own form.
FIRST_CONTACT_FIELDS = ("name", "email", "phone", "preferred_channel", "language", "timezone")
# Typed by a person: any of them filled means a contact was meant.
FIRST_CONTACT_TYPED = ("name", "email", "phone")
CONTACT_PREFIX = "contact"


def contact_given(contact: dict[str, Any] | None) -> bool:
    """Whether the contact part of the form was filled in at all."""
    return contact is not None and any(
        str(contact.get(k) or "").strip() for k in FIRST_CONTACT_TYPED
    )


@transaction.atomic
def client_create_with_contact(
    *,
    workspace: Workspace,
    actor: User | None,
    identity: Identity | None = None,
    contact: dict[str, Any] | None = None,
    **data: Any,
) -> tuple[Client, Contact | None]:
    """Create a client (as ``services.client_create``) and, when ``contact`` holds a name,
    email or phone, its first contact (as ``services.contact_create``), all or nothing.

    A refusal of the contact names its field as ``contact.<field>`` (``contact.email``), so a
    form or an API can tell it from the client's own ``name``; the contact's name is required
    once any of its fields is given.
    """
    unknown = set(contact or {}) - set(FIRST_CONTACT_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown field."), field=f"{CONTACT_PREFIX}.{sorted(unknown)[0]}")
    client = client_create(workspace=workspace, actor=actor, identity=identity, **data)
    if contact is None or not contact_given(contact):
        return client, None
    try:
        person = contact_create(client=client, actor=actor, **contact)
    except ApplicationError as exc:
        raise ApplicationError(
            exc.message,
            field=f"{CONTACT_PREFIX}.{exc.field}" if exc.field else None,
            code=exc.code,
            errors={f"{CONTACT_PREFIX}.{key}": value for key, value in exc.errors.items()},
        ) from exc
    return client, person
