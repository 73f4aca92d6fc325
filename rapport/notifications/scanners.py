"""The outbox sweeper and the providers' daily digest, run by the tick."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from rapport.accounts.models import Membership
from rapport.core.mail import email_queue
from rapport.core.periodic import register_job
from rapport.notifications.delivery import sweep
from rapport.notifications.models import Alert, DigestSent

DIGEST_HOUR = time(8)


@register_job
def sweep_stuck_notifications(now: datetime) -> int:
    return sweep(now=now)


@register_job
def send_daily_digests(now: datetime) -> int:
    """At 08:00 in each provider's time zone, email them the open alerts (if any), once."""
    sent = 0
    memberships = Membership.objects.select_related("user", "workspace").filter(
        user__is_active=True
    )
    for membership in memberships.iterator(chunk_size=500):
        user = membership.user
        try:
            local = now.astimezone(zoneinfo.ZoneInfo(user.timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        if local.hour != DIGEST_HOUR.hour:
            continue
        alerts = list(
            Alert.objects.filter(workspace=membership.workspace, state=Alert.State.OPEN)
            .select_related("client")
            .order_by("-severity", "-created_at")[:30]
        )
        if not alerts:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=local.date())
                email_queue(
                    to=user.email,
                    template="notifications/email/digest",
                    context={
                        "user": user,
                        "workspace": membership.workspace,
                        "alerts": alerts,
                        "url": settings.SITE_URL + reverse("notifications:alerts"),
                    },
                    language=user.language,
                )
        except IntegrityError:
            continue  # already sent today
        sent += 1
    return sent
