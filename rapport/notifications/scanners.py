"""The outbox sweeper and the providers' daily digest, run by the tick."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from rapport.accounts.models import Membership
from rapport.accounts.schedule import digest_due_after
from rapport.core.clock import zone_or_utc
from rapport.core.periodic import register_job
from rapport.notifications.delivery import sweep
from rapport.notifications.members import member_message_queue
from rapport.notifications.models import Alert, DigestSent
from rapport.notifications.ranking import ranked

# Members whose digest one tick handles; the rest stay due and are handled by the next tick.
DIGEST_BATCH = 500
DIGEST_ALERTS = 30


@register_job
def sweep_stuck_notifications(now: datetime) -> int:
    return sweep(now=now)


def _digest_alerts(membership: Membership) -> list[Alert]:
    """The workspace's open alerts in the alert centre's order: what needs the provider now
    (a client waiting, a promise about to break) above forecasts (``ranking.ranked``)."""
    return list(
        ranked(
            Alert.objects.filter(workspace_id=membership.workspace_id, state=Alert.State.OPEN)
        ).select_related("client")[:DIGEST_ALERTS]
    )


@register_job
def send_daily_digests(now: datetime) -> int:
    """At 08:00 in each member's time zone, write them the open alerts (if any) to the outbox,
    once a day.

    Reads only the members whose ``digest_due_at`` has come (an index), not every membership:
    the cost grows with the digests due, not with the number of members. A member with no due
    time yet (just joined) is given one. Each due time is moved to the next 08:00 by a
    conditional update, so two ticks at once write one digest.
    """
    due = list(
        Membership.objects.filter(
            Q(digest_due_at__lte=now) | Q(digest_due_at__isnull=True), user__is_active=True
        )
        .select_related("user", "workspace")
        .order_by("digest_due_at", "id")[:DIGEST_BATCH]
    )
    sent = 0
    for membership in due:
        user = membership.user
        was_due = membership.digest_due_at
        moved = Membership.objects.filter(
            pk=membership.pk,
            **({"digest_due_at": was_due} if was_due else {"digest_due_at__isnull": True}),
        ).update(digest_due_at=digest_due_after(now, user.timezone))
        if not moved or was_due is None:
            continue  # another tick took it, or it was only scheduled
        alerts = _digest_alerts(membership)
        if not alerts:
            continue
        local_day = was_due.astimezone(zone_or_utc(user.timezone)).date()
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=local_day)
                member_message_queue(
                    membership=membership,
                    template="notifications/email/digest",
                    context={
                        "alerts": alerts,
                        "url": settings.SITE_URL + reverse("notifications:alerts"),
                    },
                    kind="digest",
                    channel="email",
                    urgent=True,
                    dedupe_key=f"digest:{membership.pk}:{local_day.isoformat()}",
                    now=now,
                )
        except IntegrityError:
            continue  # already sent today (a member of two workspaces gets the first)
        sent += 1
    return sent
