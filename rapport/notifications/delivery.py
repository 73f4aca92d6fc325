"""Delivering the outbox: claim, send, mark; retry with backoff; fall back; sweep.

Rows are claimed by lease (``leases.py``): ``queued`` -> ``sending`` with the worker's name and
a ``lease_until``, renewed before each send, so two workers never send the same row and the
sweeper takes back only rows whose worker died or stalled past its lease. After sending, the
worker marks the row ``sent`` only if it still holds the claim. A worker killed between the two
leaves the row ``sending``; once its lease runs out the sweeper puts it back in the queue and it
is sent again with the same idempotency key (the notification id), which the receiving side
uses to drop the repeat. A message may be retried but is never lost.

Each send is capped by NOTIFICATION_SEND_TIMEOUT_SECONDS, and a send that takes more than half
of it ends the batch: the rest goes back to the queue and that workspace comes last in the
worker's next claim, so one workspace's slow endpoint delays another's message by one send.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rapport.core.clock import next_contact_time
from rapport.core.timeline import timeline_record
from rapport.notifications.channels import CHANNELS, DeliveryError
from rapport.notifications.leases import claim, expired, lease_end, release, renew, still_held
from rapport.notifications.models import Alert, DeliveryAttempt, Notification
from rapport.notifications.services import alert_raise

if TYPE_CHECKING:
    from rapport.clients.models import Client

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at an hour."""
    return timedelta(
        seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    )


def _within_contact_hours(notification: Notification, at: datetime) -> datetime:
    """``at``, or the next moment inside the contact's hours (urgent messages do not wait)."""
    contact = notification.contact
    if notification.urgent or contact is None:
        return at
    return next_contact_time(
        at,
        contact.effective_timezone,
        contact.contact_hours_start,
        contact.contact_hours_end,
    )


def deliver_one(notification: Notification, *, worker: str, session: Any = None) -> bool:
    """Send one claimed notification, if this worker still holds it (its lease is renewed
    first), and record the outcome. True when it was sent."""
    if notification.pk not in renew(worker=worker, ids=[notification.pk]):
        return False
    return _send(notification, worker=worker, session=session)


def _send(notification: Notification, *, worker: str, session: Any) -> bool:
    started = timezone.now()
    channel = CHANNELS.get(notification.channel)
    try:
        if channel is None:
            raise DeliveryError(f"unknown channel {notification.channel!r}", permanent=True)
        channel.send(notification, session)
    except DeliveryError as exc:
        _record_failure(
            notification, worker=worker, started=started, error=str(exc), permanent=exc.permanent
        )
        return False
    except Exception as exc:  # a bug in a channel must not stop the worker; retry later
        logger.exception("channel %s raised", notification.channel)
        _record_failure(
            notification, worker=worker, started=started, error=repr(exc), permanent=False
        )
        return False
    _record_success(notification, worker=worker, started=started)
    return True


def _record_success(notification: Notification, *, worker: str, started: datetime) -> None:
    now = timezone.now()
    data = {
        "name": notification.recipient_name,
        "channel": notification.channel,
        "subject": notification.subject,
    }
    with transaction.atomic():
        marked = Notification.objects.filter(
            pk=notification.pk, state=Notification.State.SENDING, claimed_by=worker
        ).update(state=Notification.State.SENT, sent_at=now, last_error="")
        DeliveryAttempt.objects.create(
            notification=notification, started_at=started, finished_at=now, ok=True, worker=worker
        )
        if marked and notification.client is not None:
            timeline_record(
                client=notification.client,
                verb="notification.sent",
                subject=notification,
                data=data,
            )


def _record_failure(
    notification: Notification, *, worker: str, started: datetime, error: str, permanent: bool
) -> None:
    now = timezone.now()
    give_up = permanent or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    data = {
        "name": notification.recipient_name,
        "channel": notification.channel,
        "attempt": notification.attempts,
        "error": error[:200],
    }
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            notification=notification,
            started_at=started,
            finished_at=now,
            ok=False,
            error=error,
            worker=worker,
        )
        held = Notification.objects.filter(
            pk=notification.pk, state=Notification.State.SENDING, claimed_by=worker
        )
        if not give_up:
            if (
                held.update(
                    state=Notification.State.QUEUED,
                    not_before=_within_contact_hours(
                        notification, now + backoff(notification.attempts)
                    ),
                    last_error=error[:2000],
                    claimed_by="",
                )
                and notification.client is not None
            ):
                timeline_record(
                    client=notification.client,
                    verb="notification.retry",
                    subject=notification,
                    data=data,
                )
            return
        if not held.update(state=Notification.State.FAILED, last_error=error[:2000]):
            return
        if notification.client is None:
            # A message to a member or an address: logged; there is no client page to show it.
            logger.warning("notification %s to %s failed: %s", notification.pk, data["name"], error)
            return
        timeline_record(
            client=notification.client, verb="notification.failed", subject=notification, data=data
        )
        _fall_back_and_alert(notification, client=notification.client, error=error)


def _fall_back_and_alert(notification: Notification, *, client: Client, error: str) -> None:
    """A permanent failure goes out again by email, and the provider is told."""
    contact = notification.contact
    if contact is not None and notification.channel != "email" and contact.email:
        Notification.objects.create(
            workspace_id=notification.workspace_id,
            client=client,
            contact=contact,
            recipient_name=notification.recipient_name,
            kind=notification.kind,
            channel="email",
            address=contact.email,
            language=notification.language,
            subject=notification.subject,
            body=notification.body,
            urgent=notification.urgent,
            not_before=_within_contact_hours(notification, timezone.now()),
            fallback_of=notification,
            subject_type=notification.subject_type,
            subject_id=notification.subject_id,
        )
        timeline_record(
            client=client,
            verb="notification.fallback",
            subject=notification,
            data={"name": contact.name},
        )
    alert_raise(
        workspace=notification.workspace_id,
        kind=Alert.Kind.DELIVERY_FAILED,
        dedupe_key=f"delivery_failed:{notification.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=notification,
        data={
            "name": notification.recipient_name,
            "channel": notification.channel,
            "error": error[:200],
            "subject": notification.subject,
        },
        severity=Alert.Severity.URGENT,
    )


def sweep(*, now: datetime | None = None) -> int:
    """Put back in the queue the rows whose worker's lease ran out (it died or stalled)."""
    now = now or timezone.now()
    stale = Notification.objects.filter(expired(now))
    requeued = 0
    # Few rows (only those of a worker that died), each back in the queue for the next moment
    # in its contact's hours: a message abandoned at 21:59 does not go out at 22:05. Each
    # update repeats the condition, so a lease renewed in between is left alone.
    for notification in stale.select_related("contact", "client"):
        requeued += stale.filter(pk=notification.pk).update(
            state=Notification.State.QUEUED,
            claimed_by="",
            lease_until=None,
            not_before=_within_contact_hours(notification, now),
        )
    return requeued


# Per worker name: the workspaces whose last send was slow, served last in its next claim.
# In memory on purpose: it is a hint for one process's next batch, not state to share.
_resting: dict[str, set[int]] = {}


def _cap_session(session: Any) -> None:
    """Hold a reused connection (the SMTP session) to the send cap, whatever its own
    timeout, since it is reused for every send of the batch."""
    sock = getattr(getattr(session, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(float(settings.NOTIFICATION_SEND_TIMEOUT_SECONDS))


def deliver_due(*, worker: str, limit: int = 50) -> int:
    """Claim and send one batch; return how many were sent."""
    sent = 0
    sessions: dict[str, Any] = {}
    slow = float(settings.NOTIFICATION_SEND_TIMEOUT_SECONDS) / 2
    batch = claim(worker=worker, limit=limit, resting=_resting.pop(worker, set()))
    held = {n.pk for n in batch}
    held_until = batch[0].lease_until if batch else None
    try:
        for position, notification in enumerate(batch):
            left = [n.pk for n in batch[position:] if n.pk in held]
            now = timezone.now()
            if held_until is None or not still_held(held_until, now):
                # Close to running out: renew what is left of the batch, in one statement,
                # and send only rows still held (the sweeper may have taken some back).
                held = renew(worker=worker, ids=left, now=now)
                held_until = lease_end(now)
            if notification.pk not in held:
                continue  # taken back by the sweeper: someone else sends it
            channel = CHANNELS.get(notification.channel)
            if channel is not None and notification.channel not in sessions:
                try:
                    sessions[notification.channel] = channel.open_session()
                    _cap_session(sessions[notification.channel])
                except Exception:  # unreachable server: each send below fails and retries
                    logger.warning(
                        "could not open a %s session", notification.channel, exc_info=True
                    )
                    sessions[notification.channel] = None
            began = time.monotonic()
            sent += _send(notification, worker=worker, session=sessions.get(notification.channel))
            if time.monotonic() - began >= slow:
                # A slow endpoint: the rest of the batch goes back to the queue, and this
                # workspace waits behind the others in the next claim (ADR 0005).
                release(worker=worker, ids=[pk for pk in left[1:] if pk in held])
                _resting[worker] = {notification.workspace_id}
                break
    finally:
        for kind, session in sessions.items():
            if session is not None:
                CHANNELS[kind].close_session(session)
    return sent


__all__ = ["backoff", "claim", "deliver_due", "deliver_one", "renew", "sweep"]
