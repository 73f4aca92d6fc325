"""Reads of portal links: by the token a contact holds, and by the id a portal session keeps."""

from __future__ import annotations

from rapport.clients.models import Contact, PortalLink
from rapport.core.tokens import token_hash


def portal_link_find(token: str) -> PortalLink | None:
    """The usable, not yet confirmed link for ``token``, or None."""
    link = (
        PortalLink.objects.select_related("contact__client", "workspace")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None or not link.is_usable or link.confirmed_at is not None:
        return None
    if link.contact.archived_at is not None or link.contact.client.archived_at is not None:
        return None
    return link


def portal_link_contact(token: str) -> Contact | None:
    """The contact a token was made for, whatever the link's state (for the page language)."""
    link = (
        PortalLink.objects.select_related("contact__client")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return link.contact if link else None


def portal_link_confirmed(*, link_id: int) -> PortalLink | None:
    """The confirmed, unrevoked link of a portal session with its contact, client and
    workspace (``link.contact.client.workspace``), or None."""
    return (
        PortalLink.objects.select_related("contact__client__workspace")
        .filter(pk=link_id, revoked_at__isnull=True, confirmed_at__isnull=False)
        .first()
    )
