"""Kickoff (P11): once the contract is signed and the deposit paid.

Signing is a moment to share the client's joy; kickoff turns it into a businesslike start. It
happens once per project: a welcome message to the signer (what happens next, the next dates,
how to reach us and how fast we answer) and the provider's checklist of first steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.agreements.contracts.selectors import signed_contract
from rapport.agreements.models import Document, PaymentStage
from rapport.billing.models import Invoice
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue
from rapport.projects.models import KickoffItem, Milestone, Project

if TYPE_CHECKING:
    from rapport.accounts.models import User

# The provider's first steps, in the workspace's language when written (P11).
DEFAULT_CHECKLIST = [
    gettext_lazy("Schedule the kickoff call with the client"),
    gettext_lazy("Ask for the access and accounts the work needs"),
    gettext_lazy("Confirm the communication channel and the update cadence"),
    gettext_lazy("Set up the project folder and share it"),
    gettext_lazy("Check the milestones and dates with the client"),
    gettext_lazy("Send the first progress update"),
]
NEXT_DATES_SHOWN = 3


def kickoff_state(project: Project) -> tuple[Document | None, bool]:
    """(the signed contract or None, whether the deposit is settled: paid, or none due)."""
    contract = signed_contract(project)
    if contract is None:
        return None, False
    deposits = list(
        PaymentStage.objects.filter(quote_id=contract.quote_id, kind=PaymentStage.Kind.DEPOSIT)
        if contract.quote_id
        else []
    )
    if not deposits:
        return contract, True
    paid = Invoice.objects.filter(
        stage__in=deposits, status=Invoice.Status.PAID, kind=Invoice.Kind.DEPOSIT
    ).count()
    return contract, paid == len(deposits)


@transaction.atomic
def kickoff_if_ready(*, project: Project) -> bool:
    """If the project's contract is signed and its deposit paid, and kickoff has not happened:
    queue the welcome message to the client and write the provider's kickoff checklist.
    True when it happened now. Idempotent. Called after the countersignature
    (:mod:`rapport.billing.receivers`) and after each payment of a deposit."""
    if KickoffItem.objects.filter(project=project).exists():
        return False
    contract, deposit_settled = kickoff_state(project)
    if contract is None or not deposit_settled:
        return False
    # Two payments recorded at once must not both kick off: the project row is the lock.
    locked = (
        Project.objects.select_for_update(of=("self",))
        .select_related("client__workspace")
        .get(pk=project.pk)
    )
    if KickoffItem.objects.filter(project=locked).exists():
        return False
    workspace = locked.client.workspace
    with translation.override(workspace.default_language):
        KickoffItem.objects.bulk_create(
            KickoffItem(workspace_id=locked.workspace_id, project=locked, position=i, text=str(t))
            for i, t in enumerate(DEFAULT_CHECKLIST)
        )
    signer = contract.signer
    next_dates = list(
        Milestone.objects.filter(project=locked, archived_at__isnull=True)
        .exclude(status=Milestone.Status.DONE)
        .order_by("due_date", "id")[:NEXT_DATES_SHOWN]
    )
    response_hours = locked.client.response_target_hours or workspace.response_target_hours
    if signer.archived_at is None:
        _link, token = portal_link_create(contact=signer, actor=None)
        notification_queue(
            contact=signer,
            template="kickoff_welcome",
            context={
                "project": locked,
                "next_dates": next_dates,
                "response_hours": response_hours,
                # The labels themselves (lazy): the message renders them in the signer's
                # language; get_..._display() would give the staff request's language.
                "cadence": Project.Cadence(locked.update_cadence).label,
                "weekday": Project.Weekday(locked.update_weekday).label,
                "has_cadence": locked.update_cadence != Project.Cadence.NONE,
                "portal_url": portal_link_url(token),
            },
            subject=locked,
            dedupe_key=f"kickoff_welcome:{locked.pk}",
        )
    alert_raise(
        workspace=locked.workspace_id,
        kind=Alert.Kind.KICKOFF_READY,
        dedupe_key=f"kickoff:{locked.pk}",
        client=locked.client,
        assignee=locked.client.account_owner_id,
        subject=locked,
        data={"title": locked.title, "project_id": locked.pk},
        severity=Alert.Severity.INFO,
    )
    timeline_record(
        client=locked.client,
        verb="project.kicked_off",
        subject=locked,
        data={"title": locked.title},
    )
    return True


@transaction.atomic
def kickoff_item_tick(*, item: KickoffItem, actor: User | None, done: bool) -> KickoffItem:
    """Tick (or untick) one step of the kickoff checklist."""
    locked = KickoffItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise ApplicationError(_("No such step."), code="not_found")
    locked.done_at = timezone.now() if done else None
    locked.save(update_fields=["done_at", "updated_at"])
    return locked
