"""Magic links for the client portal (P13).

A link carries 256 bits of randomness, is stored only as its SHA-256, expires, can be revoked
and is bound to one contact. Opening it shows a confirm page; only the POST of that page
creates the portal session, so a mail scanner that pre-fetches links cannot use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.models import Contact, PortalLink
from rapport.clients.portal_links.selectors import portal_link_find
from rapport.core.errors import ApplicationError
from rapport.core.periodic import register_job
from rapport.core.timeline import timeline_record
from rapport.core.tokens import token_generate, token_hash
from rapport.notifications.services import notification_queue


def portal_link_url(token: str) -> str:
    return settings.SITE_URL + reverse("portal:open", args=[token])


@transaction.atomic
def portal_link_create(*, contact: Contact, actor: User | None) -> tuple[PortalLink, str]:
    """Create a link for ``contact``; returns the link and its secret token (shown once)."""
    if contact.archived_at is not None or contact.client.archived_at is not None:
        raise ApplicationError(_("This contact is archived."), field="contact")
    token, digest = token_generate()
    link = PortalLink.objects.create(
        workspace_id=contact.workspace_id,
        contact=contact,
        token_hash=digest,
        created_by=actor,
        expires_at=timezone.now() + timedelta(hours=settings.PORTAL_LINK_MAX_AGE_HOURS),
    )
    return link, token


def portal_links_create_many(*, contacts: Sequence[Contact], actor: User | None) -> list[str]:
    """One fresh link per entry of ``contacts`` (a contact may come more than once), in one
    insert; returns their secret tokens in the same order.

    The bulk form of :func:`portal_link_create` for scanners, with the same refusal: a link
    for an archived contact or client is never made.
    """
    expires_at = timezone.now() + timedelta(hours=settings.PORTAL_LINK_MAX_AGE_HOURS)
    tokens: list[str] = []
    rows: list[PortalLink] = []
    for contact in contacts:
        if contact.archived_at is not None or contact.client.archived_at is not None:
            raise ApplicationError(_("This contact is archived."), field="contact")
        token, digest = token_generate()
        tokens.append(token)
        rows.append(
            PortalLink(
                workspace_id=contact.workspace_id,
                contact=contact,
                token_hash=digest,
                created_by=actor,
                expires_at=expires_at,
            )
        )
    PortalLink.objects.bulk_create(rows)
    return tokens


@transaction.atomic
def portal_link_send(*, contact: Contact, actor: User | None) -> PortalLink:
    """Email ``contact`` a fresh portal link, in their language, greeting them by name (P29)."""
    if not contact.email:
        raise ApplicationError(_("This contact has no email address."), field="email")
    link, token = portal_link_create(contact=contact, actor=actor)
    # Through the outbox, by email whatever the preferred channel (the link is a login);
    # at once when the contact asked for it, else within their contact hours.
    notification_queue(
        contact=contact,
        template="portal_link",
        context={"url": portal_link_url(token), "hours": settings.PORTAL_LINK_MAX_AGE_HOURS},
        channel="email",
        urgent=actor is None,
        subject=link,
    )
    timeline_record(
        client=contact.client,
        verb="portal.link_sent",
        actor=actor,
        subject=contact,
        data={"name": contact.name},
    )
    return link


@transaction.atomic
def portal_link_confirm(*, token: str) -> PortalLink:
    """Use a link once: mark it confirmed and record that the contact opened the portal."""
    link = portal_link_find(token)
    if link is None:
        raise ApplicationError(_("This link has expired or was already used."), field="token")
    # The conditional update makes a double submit (two tabs) confirm only once.
    claimed = PortalLink.objects.filter(pk=link.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if not claimed:
        raise ApplicationError(_("This link has expired or was already used."), field="token")
    timeline_record(
        client=link.contact.client,
        verb="portal.opened",
        actor_contact=link.contact,
        subject=link.contact,
        data={"name": link.contact.name},
    )
    return link


@transaction.atomic
def portal_links_revoke(*, contact: Contact, actor: User | None) -> int:
    """Revoke every link of ``contact``; portal sessions opened through them end too."""
    count = PortalLink.objects.filter(contact=contact, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        timeline_record(
            client=contact.client,
            verb="portal.link_revoked",
            actor=actor,
            subject=contact,
            data={"name": contact.name},
        )
    return count


def _rate_limited(key: str, limit: int, window_seconds: int) -> bool:
    """Count a hit under ``key`` in the shared cache; True once ``limit`` is exceeded."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        hits = 1
    return hits > limit


def portal_link_request(*, email: str, ip_address: str) -> None:
    """A contact asks for a new link by email address.

    The caller shows the same answer whether or not the address is known; requests are
    limited per address and per IP through the shared cache.
    """
    email = email.strip().lower()
    limit = settings.PORTAL_LINK_REQUESTS_PER_HOUR
    if _rate_limited(f"portal-req:ip:{ip_address}", limit * 4, 3600) or _rate_limited(
        f"portal-req:email:{token_hash(email)}", limit, 3600
    ):
        raise ApplicationError(
            _("Too many requests. Please try again in an hour."), code="rate_limited"
        )
    contacts = Contact.objects.filter(
        email__iexact=email, archived_at__isnull=True, client__archived_at__isnull=True
    ).select_related("client__workspace")
    for contact in contacts:
        portal_link_send(contact=contact, actor=None)


@register_job
def portal_links_prune(now: datetime) -> int:
    """Delete portal links that expired more than 30 days ago (their sessions ended long ago)."""
    deleted, _by_model = PortalLink.objects.filter(expires_at__lt=now - timedelta(days=30)).delete()
    return deleted
