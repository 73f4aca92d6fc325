"""Change request writes: raise, price and date, send as an amendment, approve, reject,
withdraw (P19). The model is ``projects.ChangeRequest``; the amendment is an agreements
``Document``, made by :mod:`rapport.agreements.contracts` and signed through
:mod:`rapport.agreements.signing`, which tells :mod:`.receivers` when it is signed or withdrawn.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.agreements.changes.selectors import change_locked
from rapport.agreements.changes.validation import impact_clean, text_clean
from rapport.agreements.contracts.selectors import signed_contract
from rapport.agreements.contracts.services import amendment_create
from rapport.agreements.models import Document, PaymentStage
from rapport.agreements.signals import change_request_decided
from rapport.agreements.signing.services import document_void
from rapport.commitments.models import Commitment
from rapport.commitments.services import (
    commitment_renegotiate,
    milestone_commitment_sync,
    milestone_due_at,
)
from rapport.conversations.models import Request
from rapport.conversations.services import request_decide
from rapport.core.clock import add_working_days, workspace_hours
from rapport.core.errors import ApplicationError
from rapport.core.texts import text_ref
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, alerts_resolve_for
from rapport.projects.models import ChangeRequest, Milestone, Project

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.clients.models import Contact

OPEN_STATES = (ChangeRequest.Status.PROPOSED, ChangeRequest.Status.AWAITING_SIGNATURE)


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
    if (actor is None) == (contact is None):
        raise ValueError("a change request is raised by a provider or by a contact")
    if contact is not None and contact.client_id != project.client_id:
        raise ApplicationError(_("No such project."), code="not_found")
    if project.archived_at is not None:
        raise ApplicationError(_("This project is archived."), field="project")
    title = text_clean(title, field="title", limit=200, message=_("Say what should change."))
    description = text_clean(
        description, field="description", limit=20000, message=_("Describe the change.")
    )
    if contact is not None:
        price, days, milestone = Decimal(0), 0, None
    else:
        price, days = impact_clean(project, price_impact, days_impact, milestone)
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
    change = change_locked(change_request)
    if change.status != ChangeRequest.Status.PROPOSED:
        raise ApplicationError(
            _("Only a proposed change can be edited; withdraw it and raise a new one.")
        )
    change.title = text_clean(title, field="title", limit=200, message=_("Say what should change."))
    change.description = text_clean(
        description, field="description", limit=20000, message=_("Describe the change.")
    )
    change.price_impact, change.days_impact = impact_clean(
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
    project = project or request.project
    if project is None or project.client_id != request.client_id:
        raise ApplicationError(_("Choose the project the change is for."), field="project")
    if request.state != Request.State.OPEN:
        raise ApplicationError(_("This request is already closed."), field="request")
    change = change_request_create(
        project=project,
        actor=actor,
        title=request.shown_subject[:200],
        description=request.body or request.shown_subject,
        request=request,
    )
    request_decide(
        request=request,
        actor=actor,
        decision=Request.State.DONE,
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
    change = change_locked(change_request)
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
    project = change.project
    affected = change.milestone
    if not change.days_impact or affected is None:
        return []
    # The workspace's working days and public holidays: a five-day change is five days of work.
    hours = workspace_hours(project.client.workspace)
    if project.due_date is not None:
        project.due_date = add_working_days(project.due_date, change.days_impact, hours)
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
    reason = text_ref("reason.change_request", title=change.title)
    now = timezone.now()
    for milestone in moving:
        milestone.due_date = add_working_days(milestone.due_date, change.days_impact, hours)
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
    """The client approved the change by signing its amendment (the signing sends
    ``amendment_client_signed``; :mod:`.receivers` calls this).

    Refused without a signed contract, twice, or for a withdrawn or rejected change.
    """
    change = change_locked(change_request)
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
    # The decisions log (care, above this app) records the client's decision (P36).
    change_request_decided.send(
        sender=ChangeRequest, change_request=change, contact=contact, approved=True, reason=""
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
    change = change_locked(change_request)
    if change.client_id != contact.client_id:
        raise ApplicationError(_("No such change."), code="not_found")
    if change.status != ChangeRequest.Status.AWAITING_SIGNATURE:
        raise ApplicationError(_("This change is not waiting for your decision."))
    reason = text_clean(
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
    change_request_decided.send(
        sender=ChangeRequest, change_request=change, contact=contact, approved=False, reason=reason
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
    change = change_locked(change_request)
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
