"""Messages to the workspace's own people, through the outbox (P14).

A member chooses the channel they hear on (email, or a channel the server has credentials for)
and their quiet hours. A new client request or a client's reply raises an alert; this module
turns that alert, in the same transaction, into an outbox row for the client's account owner
(or the workspace's owner): sent at once, or when their quiet hours end, unless the client
marked it urgent. The digest and the emails of the apps below notifications (invitations,
through ``core.mail.outbox_email``) are written here too.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.accounts.models import Membership, User
from rapport.core.clock import next_contact_time, zone_or_utc
from rapport.core.errors import ApplicationError
from rapport.core.mail import outbox_email
from rapport.notifications.channels import CHANNELS
from rapport.notifications.models import Alert, Notification

# Alerts the provider hears of at once, on their own channel (P14): a client is waiting.
INSTANT_KINDS = frozenset({Alert.Kind.REQUEST_RECEIVED, Alert.Kind.REPLY_RECEIVED})
# Kinds told at once only when urgent: a hostile client message (P24) cannot wait for the
# digest, an unhappy one can (its reply or request is told at once already).
INSTANT_WHEN_URGENT = frozenset({Alert.Kind.CLIENT_UPSET})


def member_channels() -> list[tuple[str, str]]:
    """The channels a member may choose: email, and those the server has credentials for."""
    return [(k, str(c.label)) for k, c in CHANNELS.items() if c.is_configured()]


@transaction.atomic
def member_notify_update(
    *,
    membership: Membership,
    channel: str,
    address: str,
    quiet_hours_start: time | None,
    quiet_hours_end: time | None,
) -> Membership:
    """Set where ``membership`` hears of new client requests, and their quiet hours (in their
    own time zone; a window may cross midnight, 22:00-07:00). Email goes to their login
    address; another channel needs its address, checked by that channel. Refusals name the
    field: ``notify_channel``, ``notify_address``, ``quiet_hours_end``."""
    known = dict(member_channels())
    if channel not in known:
        raise ApplicationError(
            _("This channel is not set up on this server; choose another."),
            field="notify_channel",
        )
    address = address.strip()
    if channel == "email":
        address = ""
    else:
        if not address:
            raise ApplicationError(
                _("%(channel)s needs your address on it.") % {"channel": known[channel]},
                field="notify_address",
            )
        try:
            address = CHANNELS[channel].validate_address(address)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, field="notify_address") from exc
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        raise ApplicationError(
            _("Give both ends of the quiet hours, or neither."), field="quiet_hours_end"
        )
    if quiet_hours_start is not None and quiet_hours_start == quiet_hours_end:
        raise ApplicationError(
            _("Quiet hours must not start and end at the same time."), field="quiet_hours_end"
        )
    membership.notify_channel = channel
    membership.notify_address = address[:254]
    membership.quiet_hours_start = quiet_hours_start
    membership.quiet_hours_end = quiet_hours_end
    membership.save(
        update_fields=[
            "notify_channel",
            "notify_address",
            "quiet_hours_start",
            "quiet_hours_end",
            "updated_at",
        ]
    )
    return membership


def member_channel(membership: Membership) -> tuple[str, str]:
    """(channel, address) a notice to ``membership`` goes through: their choice while the
    server still offers it, else email to their login address."""
    channel = CHANNELS.get(membership.notify_channel)
    if (
        channel is not None
        and channel.kind != "email"
        and channel.is_configured()
        and membership.notify_address
    ):
        return channel.kind, membership.notify_address
    return "email", membership.user.email


def member_not_before(membership: Membership, now: datetime, *, urgent: bool) -> datetime:
    """``now``, or the end of the member's quiet hours when ``now`` falls inside them."""
    start, end = membership.quiet_hours_start, membership.quiet_hours_end
    if urgent or start is None or end is None:
        return now
    # The hours one may be told are the complement of the quiet ones.
    return next_contact_time(now, membership.user.timezone, end, start)


def member_message_queue(
    *,
    membership: Membership,
    template: str,
    context: dict[str, Any],
    kind: str,
    urgent: bool = False,
    channel: str | None = None,
    dedupe_key: str | None = None,
    subject: Alert | None = None,
    now: datetime | None = None,
) -> Notification:
    """Write one outbox row for a member, rendered from ``<template>_subject.txt`` / ``.txt`` /
    ``.html`` in their language and time zone, on their channel (or ``channel``), not before
    their quiet hours end unless ``urgent``. Call it in the business transaction."""
    now = now or timezone.now()
    user: User = membership.user
    if channel is None:
        channel, address = member_channel(membership)
    else:
        address = user.email
    ctx = {"user": user, "workspace": membership.workspace, **context}
    with translation.override(user.language), timezone.override(zone_or_utc(user.timezone)):
        subject_line = " ".join(
            render_to_string(f"{template}_subject.txt", ctx, using="text").split()
        )
        body = render_to_string(f"{template}.txt", ctx, using="text").strip() + "\n"
        html = render_to_string(f"{template}.html", ctx) if channel == "email" else ""
    return Notification.objects.create(
        workspace_id=membership.workspace_id,
        user=user,
        recipient_name=user.name[:150],
        kind=kind,
        channel=channel,
        address=address,
        language=user.language,
        subject=subject_line[:300],
        body=body,
        html=html,
        urgent=urgent,
        not_before=member_not_before(membership, now, urgent=urgent),
        subject_type="alert" if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        dedupe_key=dedupe_key,
    )


def alert_recipient(alert: Alert) -> Membership | None:
    """The member to tell of ``alert``: its assignee (the client's account owner) while a member
    of the workspace, else the workspace's owner (one query)."""
    memberships = Membership.objects.filter(workspace_id=alert.workspace_id).select_related(
        "user", "workspace"
    )
    if alert.assignee_id is not None:
        memberships = memberships.filter(
            Q(user_id=alert.assignee_id) | Q(role=Membership.Role.OWNER)
        ).order_by(
            Case(
                When(user_id=alert.assignee_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    else:
        memberships = memberships.filter(role=Membership.Role.OWNER).order_by("id")
    return memberships.filter(user__is_active=True).first()


def alert_notify(*, alert: Alert, now: datetime | None = None) -> Notification | None:
    """Tell the member responsible for ``alert`` at once, on their channel (P14).

    Urgent when the client marked it so (``data["urgent"]``) or the alert is urgent: then it
    goes even in the member's quiet hours. Once per alert (its dedupe key).
    """
    member = alert_recipient(alert)
    if member is None:
        return None
    urgent = alert.severity >= Alert.Severity.URGENT or bool(alert.data.get("urgent"))
    return member_message_queue(
        membership=member,
        template="notifications/email/alert_notice",
        context={
            "alert": alert,
            "client_name": alert.client.name if alert.client is not None else "",
            "url": settings.SITE_URL + alert.action_url,
        },
        kind=f"notice_{alert.kind}",
        urgent=urgent,
        dedupe_key=f"notice:{alert.pk}",
        subject=alert,
        now=now,
    )


@receiver(post_save, sender=Alert, dispatch_uid="notifications.members.alert_saved")
def alert_saved(sender: type[Alert], instance: Alert, created: bool, **kwargs: Any) -> None:
    """A new request or reply alert, or an urgent client-upset one, is written: the notice is
    written with it (outbox)."""
    if not created or kwargs.get("raw"):
        return
    if instance.kind in INSTANT_KINDS or (
        instance.kind in INSTANT_WHEN_URGENT and instance.severity >= Alert.Severity.URGENT
    ):
        alert_notify(alert=instance)


@receiver(outbox_email, dispatch_uid="notifications.members.outbox_email_write")
def outbox_email_write(
    sender: object,
    *,
    workspace_id: int,
    to: str,
    name: str,
    user_id: int | None,
    kind: str,
    language: str,
    subject: str,
    body: str,
    html: str,
    dedupe_key: str | None,
    **kwargs: Any,
) -> Notification:
    """Write an email of ``core.mail.email_queue`` (an invitation) to the outbox, due now."""
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    return Notification.objects.create(
        workspace_id=workspace_id,
        user_id=user_id,
        recipient_name=name[:150],
        kind=kind[:32],
        channel="email",
        address=to,
        language=language,
        subject=subject[:300],
        body=body,
        html=html,
        urgent=True,
        not_before=timezone.now(),
        dedupe_key=dedupe_key,
    )
