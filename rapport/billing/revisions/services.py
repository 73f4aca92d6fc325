"""Revision rounds (P08): the first rounds of a deliverable are included, later ones are paid.

A round is logged by the provider or asked for by the client in the portal (on a delivered
deliverable). Rounds are numbered per deliverable. While the included ("free") rounds last, a
round is open at once. A round past them is billable: before any work the client is told, in
the portal and by a message in their language, which round it is, how many were included, the
hourly rate and the estimated hours, and accepts or declines it. Work on a billable round
cannot be marked done before the client accepted it. Marking it done records the hours as a
billable time entry at the deliverable's rate, which the next hourly invoice picks up.

The policy (free rounds, rate) is the deliverable's, set in ``projects.revision_policy``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.billing.models import TimeEntry
from rapport.clients.models import Contact
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.core.money import to_minor
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert, Notification
from rapport.notifications.services import alert_raise, notification_queue
from rapport.projects.models import Deliverable, RevisionRound

MAX_ROUND_HOURS = Decimal(1000)


def _hours(value: object, *, field: str, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ApplicationError(_("Enter the hours."), field=field)
        return None
    if isinstance(value, float):
        raise TypeError("hours are never floats")
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ApplicationError(_("Enter a number of hours, such as 2.5."), field=field) from None
    if not hours.is_finite() or hours <= 0:
        raise ApplicationError(_("The hours must be more than zero."), field=field)
    if hours > MAX_ROUND_HOURS:
        raise ApplicationError(_("That is too many hours to be right."), field=field)
    if hours != hours.quantize(Decimal("0.01")):
        raise ApplicationError(_("At most two decimals."), field=field)
    return hours


def _data(round_: RevisionRound, **extra: object) -> dict[str, object]:
    return {"number": round_.number, "title": round_.deliverable.title, **extra}


def _notify_billable(round_: RevisionRound, contact: Contact) -> None:
    """Tell the client the cost of a billable round before any work (P07, P08)."""
    deliverable = round_.deliverable
    notification_queue(
        contact=contact,
        template="revision_billable",
        context={
            "round": round_,
            "deliverable": deliverable,
            "project": deliverable.milestone.project,
            "free_rounds": deliverable.revision_free_rounds,
            "rate": deliverable.revision_hourly_rate,
            "currency": deliverable.milestone.project.currency,
            "estimate": round_.estimate_hours,
        },
        subject=round_,
        dedupe_key=f"revision_billable:{round_.pk}",
    )


def _client_contact(deliverable: Deliverable, contact: Contact | None) -> Contact:
    """Whom to ask: the contact who asked for the round, else the client's first contact."""
    if contact is not None:
        return contact
    found = (
        Contact.objects.filter(client_id=deliverable.milestone.project.client_id)
        .filter(archived_at__isnull=True)
        .order_by("name", "id")
        .first()
    )
    if found is None:
        raise ApplicationError(
            _("This client has no contact to ask: add one first."), field="contact"
        )
    return found


def _round_create(
    *,
    deliverable: Deliverable,
    description: str,
    estimate_hours: object,
    contact: Contact | None,
) -> RevisionRound:
    description = description.strip()
    if not description:
        raise ApplicationError(_("Say what should change."), field="description")
    if len(description) > 5000:
        raise ApplicationError(_("At most 5000 characters."), field="description")
    estimate = _hours(estimate_hours, field="estimate_hours", required=False)
    # The deliverable's row lock numbers concurrent rounds one after the other.
    locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    rounds = list(RevisionRound.objects.filter(deliverable=locked).values_list("number", "status"))
    used = sum(1 for _n, status in rounds if status != RevisionRound.Status.DECLINED)
    billable = used >= locked.revision_free_rounds
    round_ = RevisionRound.objects.create(
        workspace_id=locked.workspace_id,
        deliverable=locked,
        number=max((n for n, _s in rounds), default=0) + 1,
        description=description,
        billable=billable,
        estimate_hours=estimate,
        status=RevisionRound.Status.AWAITING_CLIENT if billable else RevisionRound.Status.OPEN,
        requested_by_contact=contact,
    )
    round_.deliverable = deliverable
    return round_


@transaction.atomic
def revision_round_log(
    *,
    deliverable: Deliverable,
    actor: User,
    description: str,
    estimate_hours: object = None,
) -> RevisionRound:
    """The provider logs a round of changes. Within the free rounds it is open at once; past
    them it is billable, needs an estimate, and waits for the client to accept the cost
    (they are told in the portal and by a message in their language)."""
    round_ = _round_create(
        deliverable=deliverable,
        description=description,
        estimate_hours=estimate_hours,
        contact=None,
    )
    if round_.billable:
        if round_.estimate_hours is None:
            raise ApplicationError(
                _("Estimate the hours: the client accepts the cost before work starts."),
                field="estimate_hours",
            )
        _notify_billable(round_, _client_contact(deliverable, None))
    timeline_record(
        client=deliverable.milestone.project.client,
        verb="revision.logged",
        actor=actor,
        subject=round_,
        data=_data(round_),
    )
    return round_


@transaction.atomic
def revision_round_request(
    *, deliverable: Deliverable, contact: Contact, description: str
) -> RevisionRound:
    """The client asks for changes to a delivered deliverable (portal, "ask for changes").

    It is logged as a request too, so that it is acknowledged at once with the time of our
    answer and the provider is alerted (P14). A billable round then waits for our estimate.
    """
    project = deliverable.milestone.project
    if project.client_id != contact.client_id or deliverable.workspace_id != contact.workspace_id:
        raise ApplicationError(_("No such deliverable."), code="not_found")
    if deliverable.status != Deliverable.Status.DELIVERED:
        raise ApplicationError(
            _("Changes can be asked for once the deliverable has been delivered."),
            field="deliverable",
        )
    round_ = _round_create(
        deliverable=deliverable, description=description, estimate_hours=None, contact=contact
    )
    with translation.override(contact.effective_language):
        subject = _("Changes to %(title)s (revision round %(number)s)") % _data(round_)
    request_receive(
        client=project.client,
        contact=contact,
        source=Request.Source.PORTAL,
        subject=subject,
        body=round_.description,
        project=project,
    )
    timeline_record(
        client=project.client,
        verb="revision.requested",
        actor_contact=contact,
        subject=round_,
        data=_data(round_, name=contact.name),
    )
    return round_


@transaction.atomic
def revision_round_estimate(
    *, round_: RevisionRound, actor: User, estimate_hours: object
) -> RevisionRound:
    """Give (or correct) the estimate of a billable round still waiting for the client, and
    send it to them to accept."""
    round_ = (
        RevisionRound.objects.select_for_update(of=("self",))
        .select_related("deliverable__milestone__project__client", "requested_by_contact")
        .get(pk=round_.pk)
    )
    if round_.status != RevisionRound.Status.AWAITING_CLIENT:
        raise ApplicationError(
            _("Only a round waiting for the client can be estimated."), field="estimate_hours"
        )
    estimate = _hours(estimate_hours, field="estimate_hours", required=True)
    if estimate == round_.estimate_hours:
        return round_
    round_.estimate_hours = estimate
    round_.save(update_fields=["estimate_hours"])
    # A new estimate is a new question to the client: the earlier message is replaced.
    Notification.objects.filter(dedupe_key=f"revision_billable:{round_.pk}").update(dedupe_key=None)
    _notify_billable(round_, _client_contact(round_.deliverable, round_.requested_by_contact))
    timeline_record(
        client=round_.deliverable.milestone.project.client,
        verb="revision.estimated",
        actor=actor,
        subject=round_,
        data=_data(round_, hours=str(estimate)),
    )
    return round_


def _decide(round_: RevisionRound, contact: Contact, accept: bool) -> RevisionRound:
    round_ = (
        RevisionRound.objects.select_for_update(of=("self",))
        .select_related("deliverable__milestone__project__client")
        .get(pk=round_.pk)
    )
    project = round_.deliverable.milestone.project
    if project.client_id != contact.client_id:
        raise ApplicationError(_("No such revision round."), code="not_found")
    if round_.status != RevisionRound.Status.AWAITING_CLIENT:
        raise ApplicationError(_("This round has already been decided."), field="round")
    if round_.estimate_hours is None:
        raise ApplicationError(_("Please wait for our estimate before deciding."), field="round")
    if accept:
        round_.status = RevisionRound.Status.OPEN
        round_.client_accepted_at = timezone.now()
        round_.client_accepted_by = contact
    else:
        round_.status = RevisionRound.Status.DECLINED
    round_.save(update_fields=["status", "client_accepted_at", "client_accepted_by"])
    alert_raise(
        workspace=round_.workspace_id,
        kind=Alert.Kind.REVISION_DECIDED,
        dedupe_key=f"revision_decided:{round_.pk}",
        client=project.client,
        assignee=project.client.account_owner_id,
        subject=round_,
        data=_data(
            round_,
            name=contact.name,
            accepted=accept,
            deliverable_id=round_.deliverable_id,
        ),
        severity=Alert.Severity.INFO,
    )
    timeline_record(
        client=project.client,
        verb="revision.accepted" if accept else "revision.declined",
        actor_contact=contact,
        subject=round_,
        data=_data(round_, name=contact.name),
    )
    return round_


@transaction.atomic
def revision_round_accept(*, round_: RevisionRound, contact: Contact) -> RevisionRound:
    """The client accepts the cost of a billable round: work may start (awaiting → open)."""
    return _decide(round_, contact, accept=True)


@transaction.atomic
def revision_round_decline(*, round_: RevisionRound, contact: Contact) -> RevisionRound:
    """The client declines a billable round: no work, no charge (awaiting → declined)."""
    return _decide(round_, contact, accept=False)


@transaction.atomic
def revision_round_done(
    *,
    round_: RevisionRound,
    actor: User,
    hours: object = None,
    worked_on: date | None = None,
) -> RevisionRound:
    """Mark a round done with the hours it took.

    A billable round needs the client's acceptance first and its hours, which become a
    billable time entry at the deliverable's rate ("Revision round N of <deliverable>", in
    the client's language, as it will read on the invoice). A free round creates no billable
    entry; hours given for it are kept as a non-billable entry for the record.
    """
    round_ = (
        RevisionRound.objects.select_for_update(of=("self",))
        .select_related("deliverable__milestone__project__client")
        .get(pk=round_.pk)
    )
    if round_.status == RevisionRound.Status.AWAITING_CLIENT:
        raise ApplicationError(
            _("The client has not accepted this billable round yet: no work before that."),
            field="round",
        )
    if round_.status != RevisionRound.Status.OPEN:
        raise ApplicationError(_("Only a round in progress can be marked done."), field="round")
    spent = _hours(hours, field="hours", required=round_.billable)
    deliverable = round_.deliverable
    project = deliverable.milestone.project
    round_.status = RevisionRound.Status.DONE
    round_.hours = spent
    round_.done_at = timezone.now()
    round_.save(update_fields=["status", "hours", "done_at"])
    if spent is not None:
        with translation.override(project.client.language):
            description = _("Revision round %(number)s of %(title)s") % _data(round_)
        TimeEntry.objects.create(
            workspace_id=project.workspace_id,
            project=project,
            member=actor,
            worked_on=worked_on or timezone.localdate(),
            hours=spent,
            description=description[:300],
            billing=TimeEntry.Billing.BILLABLE
            if round_.billable
            else TimeEntry.Billing.NON_BILLABLE,
            rate=to_minor(deliverable.revision_hourly_rate, project.currency)
            if round_.billable
            else None,
            revision=round_,
        )
    timeline_record(
        client=project.client,
        verb="revision.done",
        actor=actor,
        subject=round_,
        data=_data(round_, hours=str(spent or 0)),
    )
    return round_
