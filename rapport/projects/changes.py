"""Change requests (P19): understood first, priced and dated, agreed in writing.

A change is raised by the provider, by the client in the portal, or turned from a client's
request. The provider states its price impact (money in the project's currency, negative for
less work) and its date impact (working days); it is then sent to the client as an amendment to
the signed contract, which the client signs in the portal exactly like the contract, or rejects
with a reason. The client's signature is the approval: the affected milestone and those after it
move, their commitments are renegotiated (the client was told by the amendment itself), the
project's due date moves, and a payment stage is appended to the schedule.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError
from rapport.core.money import parse_amount
from rapport.core.timeline import timeline_record
from rapport.projects.models import ChangeRequest, Milestone, Project

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.agreements.models import Document
    from rapport.clients.models import Contact
    from rapport.conversations.models import Request

MAX_DAYS_IMPACT = 365
OPEN_STATES = (ChangeRequest.Status.PROPOSED, ChangeRequest.Status.AWAITING_SIGNATURE)
WEEKDAYS = frozenset(range(5))


def add_working_days(day: date, days: int, weekdays: frozenset[int] = WEEKDAYS) -> date:
    """``day`` moved ``days`` working days later (weekends and non-working days skipped)."""
    weekdays = weekdays or WEEKDAYS
    moved = day
    left = days
    while left > 0:
        moved += timedelta(days=1)
        if moved.weekday() in weekdays:
            left -= 1
    return moved


def signed_contract(project: Project) -> Document | None:
    """The project's contract signed by both sides (the newest, if several)."""
    from rapport.agreements.models import Document

    return (
        Document.objects.filter(
            project=project, kind=Document.Kind.CONTRACT, status=Document.Status.SIGNED
        )
        .select_related("quote", "signer__client")
        .order_by("-created_at", "-id")
        .first()
    )


def _clean_text(value: str, *, field: str, limit: int, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("At most %(limit)s characters.") % {"limit": f"{limit:,}"}, field=field
        )
    return value


def _impact(
    project: Project, price_impact: object, days_impact: object, milestone: Milestone | None
) -> tuple[Decimal, int]:
    price = parse_amount(
        price_impact if price_impact not in (None, "") else "0",
        field="price_impact",
        currency=project.currency,
        allow_negative=True,
    )
    try:
        days = int(str(days_impact if days_impact not in (None, "") else "0").strip())
    except ValueError:
        raise ApplicationError(
            _("Enter a whole number of working days."), field="days_impact"
        ) from None
    if not 0 <= days <= MAX_DAYS_IMPACT:
        raise ApplicationError(
            _("The date impact is between 0 and %(max)s working days.") % {"max": MAX_DAYS_IMPACT},
            field="days_impact",
        )
    if milestone is not None and (
        milestone.project_id != project.pk or milestone.archived_at is not None
    ):
        raise ApplicationError(_("Choose a milestone of this project."), field="milestone")
    if days and milestone is None:
        raise ApplicationError(_("Choose the milestone whose date moves."), field="milestone")
    return price, days


@transaction.atomic
def change_request_create(
    *,
    project: Project,
    title: str,
    description: str,
    actor: User | None = None,
    contact: Contact | None = None,
    price_impact: object = "0",
    days_impact: object = 0,
    milestone: Milestone | None = None,
    request: Request | None = None,
) -> ChangeRequest:
    """Record a proposed change, raised by the provider (``actor``) or the client (``contact``).

    A client states only what should change; the provider adds the price and date impact
    before it goes to the client (and is alerted to do so).
    """
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alert_raise

    if (actor is None) == (contact is None):
        raise ValueError("a change request is raised by a provider or by a contact")
    if contact is not None and contact.client_id != project.client_id:
        raise ApplicationError(_("No such project."), code="not_found")
    if project.archived_at is not None:
        raise ApplicationError(_("This project is archived."), field="project")
    title = _clean_text(title, field="title", limit=200, message=_("Say what should change."))
    description = _clean_text(
        description, field="description", limit=20000, message=_("Describe the change.")
    )
    if contact is not None:
        price, days, milestone = Decimal(0), 0, None
    else:
        price, days = _impact(project, price_impact, days_impact, milestone)
    change = ChangeRequest.objects.create(
        workspace_id=project.workspace_id,
        project=project,
        client_id=project.client_id,
        raised_by=ChangeRequest.RaisedBy.CLIENT if contact else ChangeRequest.RaisedBy.PROVIDER,
        raised_by_contact=contact,
        raised_by_user=actor,
        request=request,
        title=title,
        description=description,
        price_impact=price,
        days_impact=days,
        milestone=milestone,
    )
    timeline_record(
        client=project.client,
        verb="change.created",
        actor=actor,
        actor_contact=contact,
        subject=change,
        data={"title": title},
    )
    if contact is not None:
        alert_raise(
            workspace=project.workspace_id,
            kind=Alert.Kind.CHANGE_REQUESTED,
            dedupe_key=f"change_requested:{change.pk}",
            client=project.client,
            assignee=project.client.account_owner_id,
            subject=change,
            data={"name": contact.name, "title": title},
        )
    return change


def _locked(change_request: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project__client__workspace", "milestone")
        .get(pk=change_request.pk)
    )


@transaction.atomic
def change_request_update(
    *,
    change_request: ChangeRequest,
    actor: User,
    title: str,
    description: str,
    price_impact: object,
    days_impact: object,
    milestone: Milestone | None,
) -> ChangeRequest:
    """The provider states (or corrects) the change and its impact while it is proposed."""
    change = _locked(change_request)
    if change.status != ChangeRequest.Status.PROPOSED:
        raise ApplicationError(
            _("Only a proposed change can be edited; withdraw it and raise a new one.")
        )
    change.title = _clean_text(
        title, field="title", limit=200, message=_("Say what should change.")
    )
    change.description = _clean_text(
        description, field="description", limit=20000, message=_("Describe the change.")
    )
    change.price_impact, change.days_impact = _impact(
        change.project, price_impact, days_impact, milestone
    )
    change.milestone = milestone
    change.save()
    return change


@transaction.atomic
def change_request_from_request(
    *, request: Request, actor: User, project: Project | None = None
) -> ChangeRequest:
    """Turn a client's request into a proposed change and close the request with that decision
    (the client is told that it comes back to them priced and dated, to sign) (P14 → P19)."""
    from rapport.conversations.models import Request as RequestModel
    from rapport.conversations.services import request_decide

    project = project or request.project
    if project is None or project.client_id != request.client_id:
        raise ApplicationError(_("Choose the project the change is for."), field="project")
    if request.state != RequestModel.State.OPEN:
        raise ApplicationError(_("This request is already closed."), field="request")
    change = change_request_create(
        project=project,
        actor=actor,
        title=request.subject[:200],
        description=request.body or request.subject,
        request=request,
    )
    request_decide(
        request=request,
        actor=actor,
        decision=RequestModel.State.DONE,
        message=_(
            "We have turned this into a change request, “%(title)s”. You will receive it with "
            "its price and date impact, to approve by signing it or to reject."
        )
        % {"title": change.title},
    )
    return change


@transaction.atomic
def change_request_send(*, change_request: ChangeRequest, actor: User) -> Document:
    """Send the change to the client as an amendment to the signed contract, to sign."""
    from rapport.agreements.contracts.services import amendment_create

    change = _locked(change_request)
    if change.status != ChangeRequest.Status.PROPOSED:
        raise ApplicationError(_("This change was already sent or decided."))
    contract = signed_contract(change.project)
    if contract is None:
        raise ApplicationError(
            _("The project has no contract signed by both sides to amend yet."), field="contract"
        )
    if contract.signer.archived_at is not None:
        raise ApplicationError(
            _("The contract's signer is archived; the amendment has no one to sign it."),
            field="contract",
        )
    if change.days_impact and change.milestone is None:
        raise ApplicationError(_("Choose the milestone whose date moves."), field="milestone")
    amendment = amendment_create(change_request=change, contract=contract, actor=actor)
    change.status = ChangeRequest.Status.AWAITING_SIGNATURE
    change.save(update_fields=["status", "updated_at"])
    timeline_record(
        client=change.project.client,
        verb="change.sent",
        actor=actor,
        subject=change,
        data={"title": change.title, "name": contract.signer.name},
    )
    return amendment


def _move_milestones(change: ChangeRequest, contact: Contact) -> list[Milestone]:
    """Move the affected milestone and every open one due on or after it by the date impact,
    renegotiating each commitment ("change request …", told by notification, now)."""
    from rapport.commitments.models import Commitment
    from rapport.commitments.services import (
        commitment_renegotiate,
        milestone_commitment_sync,
        milestone_due_at,
    )

    project = change.project
    affected = change.milestone
    if not change.days_impact or affected is None:
        return []
    weekdays = project.client.workspace.business_weekdays
    if project.due_date is not None:
        project.due_date = add_working_days(project.due_date, change.days_impact, weekdays)
        project.save(update_fields=["due_date", "updated_at"])
    moving = list(
        Milestone.objects.filter(
            project=project, archived_at__isnull=True, due_date__gte=affected.due_date
        )
        .exclude(status=Milestone.Status.DONE)
        .select_related("project__client__workspace")
        .order_by("due_date", "id")
    )
    if affected.pk not in {m.pk for m in moving} and not affected.is_done:
        moving.insert(0, affected)
    reason = _("change request %(title)s") % {"title": change.title}
    now = timezone.now()
    for milestone in moving:
        milestone.due_date = add_working_days(milestone.due_date, change.days_impact, weekdays)
        milestone.save(update_fields=["due_date", "updated_at"])
        commitment = (
            Commitment.objects.filter(
                milestone=milestone, kind=Commitment.Kind.MILESTONE, state=Commitment.State.OPEN
            )
            .select_related("client")
            .first()
        )
        if commitment is not None and milestone_due_at(milestone) > now:
            commitment_renegotiate(
                commitment=commitment,
                actor=None,
                new_due_at=milestone_due_at(milestone),
                reason=reason,
                told_via=Commitment.ToldVia.NOTIFICATION,
                told_at=now,
                dedupe_key=f"milestone:{milestone.pk}:{milestone.due_date.isoformat()}",
            )
        else:
            milestone_commitment_sync(milestone, actor=None)
        timeline_record(
            client=project.client,
            verb="milestone.updated",
            actor_contact=contact,
            subject=milestone,
            data={"title": milestone.title, "fields": "due_date"},
        )
    return moving


@transaction.atomic
def change_request_approve(*, change_request: ChangeRequest, contact: Contact) -> ChangeRequest:
    """The client approved the change by signing its amendment (called by the signing).

    Refused without a signed contract, twice, or for a withdrawn or rejected change.
    """
    from rapport.agreements.models import PaymentStage
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alert_raise, alerts_resolve_for

    change = _locked(change_request)
    if change.status == ChangeRequest.Status.APPROVED:
        raise ApplicationError(_("This change is already approved."))
    if change.status in (ChangeRequest.Status.WITHDRAWN, ChangeRequest.Status.REJECTED):
        raise ApplicationError(_("This change was withdrawn or rejected; it cannot be approved."))
    contract = signed_contract(change.project)
    if contract is None:
        raise ApplicationError(
            _("The project has no contract signed by both sides to amend."), field="contract"
        )
    now = timezone.now()
    change.status = ChangeRequest.Status.APPROVED
    change.decided_at = now
    change.save(update_fields=["status", "decided_at", "updated_at"])
    _move_milestones(change, contact)
    if change.price_impact and contract.quote_id is not None:
        last = (
            PaymentStage.objects.filter(quote_id=contract.quote_id)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        PaymentStage.objects.create(
            workspace_id=change.workspace_id,
            quote_id=contract.quote_id,
            change_request=change,
            position=(last or 0) + 1,
            kind=PaymentStage.Kind.CHANGE,
            label=change.title,
            amount=change.price_impact,
            milestone=change.milestone,
        )
    client = change.project.client
    timeline_record(
        client=client,
        verb="change.approved",
        actor_contact=contact,
        subject=change,
        data={"title": change.title, "name": contact.name},
    )
    alerts_resolve_for(subject=change, kinds=[Alert.Kind.CHANGE_REQUESTED])
    alert_raise(
        workspace=change.workspace_id,
        kind=Alert.Kind.CHANGE_DECIDED,
        dedupe_key=f"change_decided:{change.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=change,
        data={"name": contact.name, "title": change.title},
        severity=Alert.Severity.INFO,
    )
    return change


@transaction.atomic
def change_request_reject(
    *, change_request: ChangeRequest, contact: Contact, reason: str
) -> ChangeRequest:
    """The client rejects the change sent to them, with a reason; its amendment is withdrawn."""
    from rapport.agreements.models import Document
    from rapport.agreements.signing.services import document_void
    from rapport.notifications.models import Alert
    from rapport.notifications.services import alert_raise

    change = _locked(change_request)
    if change.client_id != contact.client_id:
        raise ApplicationError(_("No such change."), code="not_found")
    if change.status != ChangeRequest.Status.AWAITING_SIGNATURE:
        raise ApplicationError(_("This change is not waiting for your decision."))
    reason = _clean_text(
        reason, field="reject_reason", limit=5000, message=_("Tell us why, so we can respond.")
    )
    change.status = ChangeRequest.Status.REJECTED
    change.decided_at = timezone.now()
    change.reject_reason = reason
    change.save(update_fields=["status", "decided_at", "reject_reason", "updated_at"])
    amendment = Document.objects.filter(change_request=change).first()
    if amendment is not None and amendment.status == Document.Status.AWAITING_CLIENT:
        document_void(document=amendment, actor=None, reason=_("rejected by the client"))
    client = change.project.client
    timeline_record(
        client=client,
        verb="change.rejected",
        actor_contact=contact,
        subject=change,
        data={"title": change.title, "reason": reason[:100]},
    )
    alert_raise(
        workspace=change.workspace_id,
        kind=Alert.Kind.CHANGE_DECIDED,
        dedupe_key=f"change_decided:{change.pk}",
        client=client,
        assignee=client.account_owner_id,
        subject=change,
        data={"name": contact.name, "title": change.title},
    )
    return change


@transaction.atomic
def change_request_withdraw(*, change_request: ChangeRequest, actor: User | None) -> ChangeRequest:
    """The provider withdraws a change not yet decided; an amendment waiting for the client's
    signature is withdrawn with it."""
    from rapport.agreements.models import Document
    from rapport.agreements.signing.services import document_void

    change = _locked(change_request)
    if change.status == ChangeRequest.Status.WITHDRAWN:
        return change
    if change.status not in OPEN_STATES:
        raise ApplicationError(_("This change is already decided."))
    change.status = ChangeRequest.Status.WITHDRAWN
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at", "updated_at"])
    amendment = Document.objects.filter(change_request=change).first()
    if amendment is not None and amendment.status == Document.Status.AWAITING_CLIENT:
        document_void(document=amendment, actor=actor, reason=_("change request withdrawn"))
    timeline_record(
        client=change.project.client,
        verb="change.withdrawn",
        actor=actor,
        subject=change,
        data={"title": change.title},
    )
    return change
