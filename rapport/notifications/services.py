"""Writes for alerts (to providers) and the outbox (to client contacts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rapport.accounts.models import User, Workspace
from rapport.core.clock import next_contact_time, zone_or_utc
from rapport.core.errors import ApplicationError
from rapport.core.templatetags.rapport import BABEL_LOCALES
from rapport.core.timeline import NewEvent, timeline_record, timeline_record_many
from rapport.notifications.channels import CHANNELS
from rapport.notifications.kinds import ChannelKind
from rapport.notifications.models import Alert, Notification

if TYPE_CHECKING:
    from rapport.clients.models import Client, Contact


def alert_raise(
    *,
    workspace: Workspace | int,
    kind: str,
    dedupe_key: str,
    client: Client | None = None,
    assignee: User | int | None = None,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
    severity: int = Alert.Severity.WARNING,
    due_at: datetime | None = None,
) -> tuple[Alert, bool]:
    """Raise an alert once: a second call with the same ``dedupe_key`` returns the first.

    Safe under concurrent scanners: the unique key decides, inside a savepoint.
    """
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    existing = Alert.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    assignee_id = assignee if isinstance(assignee, int) or assignee is None else assignee.pk
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                workspace_id=workspace_id,
                kind=kind,
                dedupe_key=dedupe_key,
                client=client,
                assignee_id=assignee_id,
                subject_type=(subject._meta.model_name or "") if subject is not None else "",
                subject_id=subject.pk if subject is not None else None,
                data=data or {},
                severity=severity,
                due_at=due_at,
            )
    except IntegrityError:
        return Alert.objects.get(dedupe_key=dedupe_key), False
    return alert, True


@dataclass(frozen=True, slots=True)
class NewAlert:
    """One alert of :func:`alerts_raise_many`; the fields mean what :func:`alert_raise`'s do.

    The client and the assignee are named by their ids: a scanner has the rows it changed,
    not their clients.
    """

    workspace_id: int
    kind: str
    dedupe_key: str
    client_id: int | None = None
    assignee_id: int | None = None
    subject: models.Model | None = None
    data: dict[str, Any] = field(default_factory=dict)
    severity: int = Alert.Severity.WARNING
    due_at: datetime | None = None


def alerts_raise_many(*, alerts: Iterable[NewAlert]) -> None:
    """Raise each alert once, in one bulk insert: an alert whose ``dedupe_key`` is stored already
    (or comes twice in ``alerts``) is left out, so a second call changes nothing.

    The bulk form of :func:`alert_raise` for scanners. Safe under concurrent scanners: the
    unique key decides in the database (the insert skips a conflicting row), so no lookup and
    no savepoint. Which alerts were new is not returned: that would cost another query.
    """
    Alert.objects.bulk_create(
        [
            Alert(
                workspace_id=alert.workspace_id,
                kind=alert.kind,
                dedupe_key=alert.dedupe_key,
                client_id=alert.client_id,
                assignee_id=alert.assignee_id,
                subject_type=(
                    (alert.subject._meta.model_name or "") if alert.subject is not None else ""
                ),
                subject_id=alert.subject.pk if alert.subject is not None else None,
                data=alert.data,
                severity=alert.severity,
                due_at=alert.due_at,
            )
            for alert in alerts
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def alert_resolve(*, alert: Alert, actor: User | None, dismiss: bool = False) -> Alert:
    """Mark an open alert done (or dismissed). Resolving twice changes nothing."""
    if alert.state == Alert.State.OPEN:
        alert.state = Alert.State.DISMISSED if dismiss else Alert.State.DONE
        alert.resolved_at = timezone.now()
        alert.resolved_by = actor
        alert.save(update_fields=["state", "resolved_at", "resolved_by", "updated_at"])
    return alert


def alerts_resolve_for(*, subject: models.Model, kinds: list[str]) -> int:
    """Close the open alerts about ``subject`` that its new state has answered."""
    return Alert.objects.filter(
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        kind__in=kinds,
        state=Alert.State.OPEN,
    ).update(state=Alert.State.DONE, resolved_at=timezone.now())


def contact_channel(contact: Contact) -> tuple[str, str]:
    """The channel and address a message to ``contact`` goes through (P12, P28).

    "Phone call" is a person's preference for talking; written messages then go by SMS if
    SMS is set up, else by email.
    """
    preferred = contact.preferred_channel
    if preferred == ChannelKind.PHONE:
        preferred = "sms" if CHANNELS["sms"].is_configured() and contact.phone else "email"
    channel = CHANNELS.get(preferred)
    if channel is not None and channel.is_offered_by(contact.client.workspace):
        address = getattr(contact, channel.address_field)
        if address:
            return channel.kind, address
    if contact.email:
        return "email", contact.email
    raise ApplicationError(
        _("%(name)s has no address we can write to.") % {"name": contact.name}, field="contact"
    )


def render_message(
    template: str, context: dict[str, Any], language: str, tz: str = "UTC"
) -> tuple[str, str, str]:
    """(subject, text, html) of ``notifications/messages/<template>`` in ``language``, with
    dates and times in the time zone ``tz`` (the contact's).

    Everything is composed under the contact's language: the words, and also the formats of
    dates, numbers, percentages and money (Django's and Babel's, read from the active
    language), so no template picks a format of its own (P29). The HTML is marked with its
    language, for mail clients and screen readers.
    """
    with translation.override(language), timezone.override(zone_or_utc(tz)):
        base = f"notifications/messages/{template}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context, using="text").split())
        body = render_to_string(f"{base}.txt", context, using="text").strip() + "\n"
        html = render_to_string(f"{base}.html", context).strip()
    # ``html`` was escaped by the template engine: it is wrapped, not escaped again.
    marked = format_html('<div lang="{}">{}</div>', language, mark_safe(html))  # noqa: S308
    return subject, body, marked


def signature_context(workspace: Workspace, language: str) -> dict[str, str]:
    """How a client message signs off: the workspace's legal name (its name until one is
    set in Settings -> Business) and, when given, its address on one line, the country
    named in the reader's language."""
    country = ""
    if workspace.country:
        try:
            names = Locale.parse(BABEL_LOCALES.get(language, "en_GB")).territories
            country = names.get(workspace.country, workspace.country)
        except (ValueError, UnknownLocaleError):
            country = workspace.country
    city = f"{workspace.postal_code} {workspace.city}".strip()
    parts = [part for part in (workspace.street.strip(), city, country) if part]
    return {
        "signature_name": workspace.legal_name.strip() or workspace.name,
        "signature_address": ", ".join(parts),
    }


def notification_queue(
    *,
    contact: Contact,
    template: str,
    context: dict[str, Any] | None = None,
    urgent: bool = False,
    subject: models.Model | None = None,
    dedupe_key: str | None = None,
    channel: str | None = None,
    now: datetime | None = None,
) -> Notification:
    """Write one outbox row for ``contact``, in their language, for their channel.

    Call it inside the business transaction: the row commits with the change that caused it
    and the deliverer sends it afterwards. It waits for the contact's hours in their time
    zone unless ``urgent``. With ``dedupe_key`` a second call returns the first row.
    """
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    notification = _message_row(
        NewMessage(
            contact=contact,
            template=template,
            dedupe_key=dedupe_key,
            context=context or {},
            subject=subject,
            urgent=urgent,
            channel=channel,
        ),
        now or timezone.now(),
    )
    notification.save(force_insert=True)
    timeline_record(
        client=contact.client,
        verb="notification.queued",
        actor_contact=None,
        subject=notification,
        data=_queued_data(contact, notification),
    )
    return notification


@dataclass(frozen=True, slots=True)
class NewMessage:
    """One message of :func:`notifications_queue_many`; the fields mean what
    :func:`notification_queue`'s do."""

    contact: Contact
    template: str
    dedupe_key: str | None
    context: dict[str, Any] = field(default_factory=dict)
    subject: models.Model | None = None
    urgent: bool = False
    channel: str | None = None


def notifications_queue_many(
    *, messages: Iterable[NewMessage], now: datetime
) -> list[Notification]:
    """The bulk form of :func:`notification_queue` for scanners; returns the rows written.

    Each message is composed in its reader's language as the single form does; then one query
    for the keys stored already (those messages, and a key given twice, are left out), one
    insert of the rows and one of their timeline events. Call it inside the scanner's
    transaction, after claiming its rows, so that two ticks never write the same key.
    """
    messages = list(messages)
    keys = [m.dedupe_key for m in messages if m.dedupe_key]
    seen = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    kept: list[NewMessage] = []
    for message in messages:
        if message.dedupe_key:
            if message.dedupe_key in seen:
                continue
            seen.add(message.dedupe_key)
        kept.append(message)
    if not kept:
        return []
    written = Notification.objects.bulk_create([_message_row(m, now) for m in kept])
    timeline_record_many(
        verb="notification.queued",
        events=[
            NewEvent(
                workspace_id=message.contact.workspace_id,
                client_id=message.contact.client_id,
                subject=row,
                data=_queued_data(message.contact, row),
            )
            for message, row in zip(kept, written, strict=True)
        ],
        at=now,
    )
    return written


def _message_row(message: NewMessage, now: datetime) -> Notification:
    """The outbox row of one message (not saved): its channel and address, its words in the
    contact's language, and the moment it may go (within the contact's hours unless urgent)."""
    contact = message.contact
    if message.channel is None:
        channel, address = contact_channel(contact)
    else:
        channel = message.channel
        address = getattr(contact, CHANNELS[channel].address_field)
    language = contact.effective_language
    client = contact.client
    ctx = {
        "contact": contact,
        "client": client,
        "workspace_name": client.workspace.name,
        # A message may read differently by channel (a line instead of a row of links).
        "channel": channel,
        **signature_context(client.workspace, language),
        **message.context,
    }
    subject_line, body, html = render_message(
        message.template, ctx, language, contact.effective_timezone
    )
    not_before = (
        now
        if message.urgent
        else next_contact_time(
            now, contact.effective_timezone, contact.contact_hours_start, contact.contact_hours_end
        )
    )
    subject = message.subject
    return Notification(
        workspace_id=contact.workspace_id,
        client=client,
        contact=contact,
        recipient_name=contact.name[:150],
        kind=message.template,
        channel=channel,
        address=address,
        language=language,
        subject=subject_line[:300],
        body=body,
        html=html if channel == "email" else "",
        urgent=message.urgent,
        not_before=not_before,
        subject_type=(subject._meta.model_name or "") if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        dedupe_key=message.dedupe_key,
    )


def _queued_data(contact: Contact, notification: Notification) -> dict[str, Any]:
    """The data of a message's "queued" timeline event."""
    return {
        "name": contact.name,
        "channel": notification.channel,
        "subject": notification.subject,
    }
