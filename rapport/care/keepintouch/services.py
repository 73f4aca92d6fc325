"""Writes of keeping in touch (P30, P31, P34): check-ins scheduled at a delivery and cancelled
when the project goes back to work, drafts sent in one click or skipped, win-back drafts, the
workspace's intervals and loyalty offers.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.models import User, Workspace
from rapport.agreements.models import Quote
from rapport.care.keepintouch.drafts import draft_words
from rapport.care.keepintouch.timing import (
    WIN_BACK_AFTER_MONTHS,
    check_in_due_at,
    months_parse,
    workspace_months,
)
from rapport.care.model_keepintouch import CheckIn, LoyaltyOffer
from rapport.clients.models import Client, Contact
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alerts_resolve_for, notification_queue
from rapport.projects.models import Project


@transaction.atomic
def check_ins_schedule(*, project: Project) -> list[CheckIn]:
    """Write the check-ins that follow the delivery of ``project`` (P30): one per interval of
    its workspace (Settings → Keeping in touch), each due on a working morning.

    Idempotent: the rows are keyed by the project, the delivery's moment and the interval, so
    a second call for the same delivery writes nothing. A project without ``delivered_at``
    gets none.
    """
    if project.delivered_at is None:
        return []
    workspace = Workspace.objects.get(pk=project.workspace_id)
    rows = [
        CheckIn(
            workspace_id=project.workspace_id,
            kind=CheckIn.Kind.CHECK_IN,
            state=CheckIn.State.SCHEDULED,
            client_id=project.client_id,
            project=project,
            months=months,
            delivered_at=project.delivered_at,
            due_at=check_in_due_at(workspace, project.delivered_at, months),
        )
        for months in workspace_months(workspace)
    ]
    created = CheckIn.objects.bulk_create(rows, ignore_conflicts=True)
    win_back_watch(workspace=workspace, project=project, since=project.delivered_at)
    return created


def win_back_watch(*, workspace: Workspace, project: Project, since: datetime) -> CheckIn:
    """Watch the client's silence from ``since`` (P34): one scheduled win-back row per
    client, due when they will have been silent ``WIN_BACK_AFTER_MONTHS``; a later moment
    moves the watch on, never back."""
    due = check_in_due_at(workspace, since, WIN_BACK_AFTER_MONTHS)
    watch = (
        CheckIn.objects.select_for_update()
        .filter(
            client_id=project.client_id,
            kind=CheckIn.Kind.WIN_BACK,
            state=CheckIn.State.SCHEDULED,
        )
        .first()
    )
    if watch is None:
        return CheckIn.objects.create(
            workspace_id=project.workspace_id,
            kind=CheckIn.Kind.WIN_BACK,
            state=CheckIn.State.SCHEDULED,
            client_id=project.client_id,
            project=project,
            due_at=due,
        )
    if watch.due_at is None or watch.due_at < due:
        watch.due_at, watch.project = due, project
        watch.save(update_fields=["due_at", "project", "updated_at"])
    return watch


@transaction.atomic
def check_ins_cancel(*, project: Project) -> int:
    """Cancel the check-ins of ``project`` not yet drafted: it went back to work, so the
    delivery they followed no longer stands. Drafts already waiting stay for the provider
    to send or skip. Returns how many were cancelled."""
    return CheckIn.objects.filter(
        workspace_id=project.workspace_id,
        project=project,
        kind=CheckIn.Kind.CHECK_IN,
        state=CheckIn.State.SCHEDULED,
    ).update(state=CheckIn.State.CANCELLED, due_at=None, updated_at=timezone.now())


def _words_clean(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ApplicationError(_("Write a subject."), field="subject")
    if len(subject) > 300:
        raise ApplicationError(_("At most 300 characters."), field="subject")
    if not body:
        raise ApplicationError(_("Write the message."), field="body")
    return subject, body


def _ready_or_refuse(check_in: CheckIn) -> CheckIn:
    locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if locked.state != CheckIn.State.READY:
        raise ApplicationError(_("This message was already sent or skipped."), field="__all__")
    return locked


@transaction.atomic
def check_in_edit(*, check_in: CheckIn, actor: User, subject: str, body: str) -> CheckIn:
    """Keep the provider's changes to a draft still waiting; nothing is sent."""
    locked = _ready_or_refuse(check_in)
    locked.subject, locked.body = _words_clean(subject, body)
    locked.acted_by = actor
    locked.save(update_fields=["subject", "body", "acted_by", "updated_at"])
    return locked


@transaction.atomic
def check_in_send(
    *,
    check_in: CheckIn,
    actor: User,
    subject: str,
    body: str,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Send a waiting draft (a check-in or a win-back message) as the provider last wrote it:
    one outbox row to the contact, in their channel and within their hours (P12, P29). The
    draft's alert is done. Refuses a draft already sent or skipped, a contact of another
    client, or a client without a contact to write to."""
    now = now or timezone.now()
    locked = _ready_or_refuse(check_in)
    subject, body = _words_clean(subject, body)
    contact = contact or locked.contact
    if contact is None:
        raise ApplicationError(_("Choose the contact to write to."), field="contact")
    if contact.client_id != locked.client_id or contact.archived_at is not None:
        raise ApplicationError(_("Choose a contact of this client."), field="contact")
    notification = notification_queue(
        contact=contact,
        template="keep_in_touch",
        context={"subject_line": subject, "message": body},
        subject=locked,
        dedupe_key=f"keep_in_touch:{locked.pk}",
        now=now,
    )
    locked.contact = contact
    locked.subject, locked.body = subject, body
    locked.state = CheckIn.State.SENT
    locked.sent_at = now
    locked.acted_by = actor
    locked.notification = notification
    locked.save()
    alerts_resolve_for(subject=locked, kinds=[Alert.Kind.CHECK_IN_DUE, Alert.Kind.WIN_BACK])
    timeline_record(
        client=locked.client,
        verb=f"keepintouch.{locked.kind}_sent",
        actor=actor,
        subject=locked,
        data={"subject": subject, "name": contact.name},
    )
    return locked


@transaction.atomic
def check_in_skip(*, check_in: CheckIn, actor: User, now: datetime | None = None) -> CheckIn:
    """Skip a waiting draft: nothing is sent, and the skip is recorded with who decided."""
    locked = _ready_or_refuse(check_in)
    locked.state = CheckIn.State.SKIPPED
    locked.skipped_at = now or timezone.now()
    locked.skip_reason = CheckIn.SkipReason.PROVIDER
    locked.acted_by = actor
    locked.save()
    alerts_resolve_for(subject=locked, kinds=[Alert.Kind.CHECK_IN_DUE, Alert.Kind.WIN_BACK])
    return locked


def contact_to_write(client: Client) -> Contact | None:
    """The contact a keep-in-touch message goes to when nobody chose one: the client's first
    active contact (the one added first)."""
    return (
        Contact.objects.filter(client=client, archived_at__isnull=True)
        .select_related("client__workspace")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def win_back_draft(*, client: Client, actor: User, now: datetime | None = None) -> CheckIn:
    """A message to win back a past client (P34), drafted in their contact's language, ready
    to send or skip. A draft already waiting for this client is returned as it is."""
    waiting = CheckIn.objects.filter(
        client=client, kind=CheckIn.Kind.WIN_BACK, state=CheckIn.State.READY
    ).first()
    if waiting is not None:
        return waiting
    now = now or timezone.now()
    contact = contact_to_write(client)
    last_project = (
        Project.objects.filter(client=client, archived_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    language, subject, body = draft_words(
        kind=CheckIn.Kind.WIN_BACK,
        contact=contact,
        client=client,
        context={"project": last_project, "workspace_name": client.workspace.name},
    )
    return CheckIn.objects.create(
        workspace_id=client.workspace_id,
        kind=CheckIn.Kind.WIN_BACK,
        state=CheckIn.State.READY,
        client=client,
        project=last_project,
        contact=contact,
        drafted_at=now,
        language=language,
        subject=subject,
        body=body,
        acted_by=actor,
    )


@transaction.atomic
def workspace_check_in_months_set(*, workspace: Workspace, text: str) -> Workspace:
    """Set the months after a delivery when clients get a check-in ("3, 6, 12"; empty for
    none). Deliveries from now on follow it; check-ins already scheduled keep their dates."""
    months = months_parse(text)
    workspace.check_in_months = ", ".join(str(m) for m in months)
    workspace.save(update_fields=["check_in_months"])
    return workspace


def loyalty_offer_words(offer: LoyaltyOffer) -> str:
    """The offer in one line as written ("10 % · Thank you for coming back")."""
    parts = []
    if offer.discount_percent is not None:
        parts.append(f"{offer.discount_percent.normalize():f} %")
    if offer.note:
        parts.append(offer.note)
    return " · ".join(parts)


@transaction.atomic
def loyalty_offer_set(
    *, client: Client, actor: User, discount_percent: Decimal | None, note: str
) -> LoyaltyOffer:
    """Offer a returning client something on their next quote (P31, P34): a discount in
    percent, a note, or both. It replaces an offer still waiting for a quote."""
    note = note.strip()
    if discount_percent is None and not note:
        raise ApplicationError(_("Give a discount or write a note."), field="discount_percent")
    if discount_percent is not None and not Decimal(0) < discount_percent <= Decimal(100):
        raise ApplicationError(
            _("A discount is more than 0 and at most 100 percent."), field="discount_percent"
        )
    LoyaltyOffer.objects.filter(client=client, quote__isnull=True).delete()
    offer = LoyaltyOffer.objects.create(
        workspace_id=client.workspace_id,
        client=client,
        discount_percent=discount_percent,
        note=note[:500],
        created_by=actor,
    )
    timeline_record(
        client=client,
        verb="keepintouch.loyalty_offered",
        actor=actor,
        subject=offer,
        data={"offer": loyalty_offer_words(offer)},
    )
    return offer


@transaction.atomic
def loyalty_offer_attach(*, quote: Quote, now: datetime | None = None) -> LoyaltyOffer | None:
    """Attach the offer waiting for the quote's client, if any, to this new quote."""
    offer = (
        LoyaltyOffer.objects.select_for_update()
        .filter(client_id=quote.client_id, quote__isnull=True)
        .first()
    )
    if offer is None:
        return None
    offer.quote = quote
    offer.applied_at = now or timezone.now()
    offer.save(update_fields=["quote", "applied_at", "updated_at"])
    return offer
