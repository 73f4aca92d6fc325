"""Quote writes: draft, edit, send, the client's decision, a new version (P06, P07, P08).

Each service validates first (:mod:`rapport.agreements.quotes.validation`) and writes in one
transaction: a refusal names the field and writes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.accounts.models import User, Workspace
from rapport.agreements.contracts.services import contract_create_from_quote
from rapport.agreements.models import (
    PaymentStage,
    Quote,
    QuoteDeliverable,
    QuoteLine,
    QuotePackage,
)
from rapport.agreements.quotes.choice import quote_package_choose
from rapport.agreements.quotes.inputs import QuoteInput, quote_input_of
from rapport.agreements.quotes.validation import (
    CleanedQuote,
    decidable_check,
    quote_valid_until_at,
    quote_validate,
)
from rapport.agreements.quotes.versions import VERSIONABLE as VERSIONABLE
from rapport.agreements.quotes.versions import quote_commitment
from rapport.agreements.quotes.versions import quote_new_version as quote_new_version
from rapport.agreements.signals import quote_created
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_url
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep, commitment_open
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, alerts_resolve_for, notification_queue
from rapport.projects.models import Deliverable, Project

# Quotes the provider may still change in place; every other status is a record.
EDITABLE = (Quote.Status.DRAFT,)


def _write_children(quote: Quote, cleaned: CleanedQuote) -> None:
    quote.lines.all().delete()
    quote.packages.all().delete()
    quote.deliverables.all().delete()
    quote.stages.all().delete()
    for package in cleaned.packages:
        package.quote = quote
    packages = QuotePackage.objects.bulk_create(cleaned.packages)
    for line, index in zip(cleaned.lines, cleaned.line_package, strict=True):
        line.quote = quote
        line.package = packages[index] if index is not None else None
    for item in cleaned.deliverables:
        item.quote = quote
    for stage in cleaned.stages:
        stage.quote = quote
        stage.workspace_id = quote.workspace_id
    QuoteLine.objects.bulk_create(cleaned.lines)
    QuoteDeliverable.objects.bulk_create(cleaned.deliverables)
    PaymentStage.objects.bulk_create(cleaned.stages)


@transaction.atomic
def quote_create(*, project: Project, actor: User | None, data: QuoteInput) -> Quote:
    """A draft quote for ``project`` with its lines, deliverables and schedule (P06, P07).

    All of it is validated first; a refusal names the field and writes nothing. The quote
    gets the workspace's next series number (Q-12), version 1.
    """
    if project.archived_at is not None:
        raise ApplicationError(_("This project is archived."), field="project")
    workspace = Workspace.objects.select_for_update().get(pk=project.workspace_id)
    cleaned = quote_validate(
        project=project, data=data, today=workspace_today(workspace), new_terms=True
    )
    last = Quote.objects.for_workspace(workspace).aggregate(n=Max("series"))["n"] or 0
    quote = Quote.objects.create(
        workspace=workspace,
        client_id=project.client_id,
        project=project,
        series=last + 1,
        version=1,
        created_by=actor,
        **cleaned.fields,
    )
    _write_children(quote, cleaned)
    timeline_record(
        client=project.client,
        verb="quote.created",
        actor=actor,
        subject=quote,
        data={"ref": quote.reference, "title": quote.title},
    )
    quote_created.send(sender=Quote, quote=quote, actor=actor)
    return quote


@transaction.atomic
def quote_update(*, quote: Quote, actor: User | None, data: QuoteInput) -> Quote:
    """Replace a draft's content with ``data`` (validated as a whole, like a new quote)."""
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("project__client")
        .get(pk=quote.pk)
    )
    if quote.status not in EDITABLE:
        raise ApplicationError(
            _("Only a draft can be edited; make a new version instead."), field="status"
        )
    today = workspace_today(quote.project.client.workspace)
    cleaned = quote_validate(project=quote.project, data=data, today=today, new_terms=True)
    for name, value in cleaned.fields.items():
        setattr(quote, name, value)
    quote.save()
    _write_children(quote, cleaned)
    return quote


def quote_portal_url(quote: Quote, token: str) -> str:
    """A one-time portal link that opens on this quote (P13)."""
    return f"{portal_link_url(token)}?next={reverse('portal:quote', args=[quote.pk])}"


@transaction.atomic
def quote_send(*, quote: Quote, actor: User | None) -> Quote:
    """Send a draft to its contact: status sent, the price held until ``valid_until``.

    Writes, in this transaction: the ``quote_sent`` notification in the contact's language
    with a portal link to the quote, a QUOTE commitment due at the end of ``valid_until`` in
    the workspace's time zone, and the timeline event. The content is checked again (a draft
    saved last month may have a validity date now past).
    """
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("project__client__workspace", "contact__client")
        .get(pk=quote.pk)
    )
    if quote.status != Quote.Status.DRAFT:
        raise ApplicationError(_("This quote was already sent."), field="status")
    project = quote.project
    today = workspace_today(project.client.workspace)
    data = quote_input_of(quote)
    quote_validate(project=project, data=data, today=today)
    contact = quote.contact
    assert contact is not None  # checked by quote_validate
    now = timezone.now()
    quote.status = Quote.Status.SENT
    quote.sent_at = now
    quote.save(update_fields=["status", "sent_at", "updated_at"])
    _link, token = portal_link_create(contact=contact, actor=actor)
    notification_queue(
        contact=contact,
        template="quote_sent",
        context={"quote": quote, "url": quote_portal_url(quote, token)},
        subject=quote,
        dedupe_key=f"quote_sent:{quote.pk}",
    )
    with translation.override(quote.language):
        wording = _("We hold the price of %(ref)s (%(title)s) until %(date)s.") % {
            "ref": quote.reference,
            "title": quote.title,
            "date": date_format(quote.valid_until, "DATE_FORMAT"),
        }
    commitment_open(
        client=project.client,
        kind=Commitment.Kind.QUOTE,
        wording=wording,
        due_at=quote_valid_until_at(quote),
        owner=actor,
        project=project,
        dedupe_key=f"quote:{quote.pk}",
        actor=actor,
    )
    timeline_record(
        client=project.client,
        verb="quote.sent",
        actor=actor,
        subject=quote,
        data={
            "ref": quote.reference,
            "name": contact.name,
            "total": str(quote.total),
            "currency": quote.currency,
        },
    )
    return quote


def _lock_for_decision(quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("project__client__workspace", "client__workspace")
        .get(pk=quote.pk)
    )


@transaction.atomic
def quote_accept(
    *,
    quote: Quote,
    contact: Contact,
    package_id: int | None = None,
    now: datetime | None = None,
) -> Quote:
    """The client accepts a sent, current, unexpired quote in the portal (P07, P08).

    Status accepted; the held price was kept; the provider gets a QUOTE_ACCEPTED alert; the
    project's deliverables take the quote's revision policy; and, in the same transaction,
    the contract is made from the quote (``contract_create_from_quote``). If making the
    contract fails, nothing of the acceptance is written. A quote that offers packages is
    accepted with one of them (``package_id``), refused without: its totals and schedule
    become the chosen package's, and the alert and the timeline name it.
    """
    now = now or timezone.now()
    quote = _lock_for_decision(quote)
    decidable_check(quote, contact, now)
    package = quote_package_choose(quote=quote, package_id=package_id)
    quote.status = Quote.Status.ACCEPTED
    quote.decided_at = now
    quote.decided_by = contact
    quote.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "chosen_package",
            "subtotal",
            "tax_total",
            "total",
            "updated_at",
        ]
    )
    chosen = {"package": package.name} if package is not None else {}
    commitment = quote_commitment(quote)
    if commitment is not None:
        commitment_keep(commitment=commitment, actor=None, now=now)
    # P08: the revision allowance agreed in the quote applies to the project's deliverables.
    Deliverable.objects.filter(milestone__project=quote.project, archived_at__isnull=True).update(
        revision_free_rounds=quote.revision_free_rounds,
        revision_hourly_rate=quote.revision_hourly_rate,
    )
    client = quote.project.client
    alert_raise(
        workspace=quote.workspace_id,
        kind=Alert.Kind.QUOTE_ACCEPTED,
        dedupe_key=f"quote_accepted:{quote.pk}",
        client=client,
        assignee=quote.created_by_id or client.account_owner_id,
        subject=quote,
        data={"ref": quote.reference, "title": quote.title, "name": contact.name, **chosen},
        severity=Alert.Severity.INFO,
    )
    alerts_resolve_for(subject=quote, kinds=[Alert.Kind.QUOTE_EXPIRING])
    timeline_record(
        client=client,
        verb="quote.accepted_package" if package is not None else "quote.accepted",
        actor_contact=contact,
        subject=quote,
        data={"ref": quote.reference, "name": contact.name, **chosen},
    )
    contract_create_from_quote(quote=quote, actor=None)
    return quote


@transaction.atomic
def quote_decline(
    *, quote: Quote, contact: Contact, feedback: str, now: datetime | None = None
) -> Quote:
    """The client declines, saying why (P07). The held price was kept; the provider is told."""
    now = now or timezone.now()
    feedback = (feedback or "").strip()
    quote = _lock_for_decision(quote)
    decidable_check(quote, contact, now)
    if not feedback:
        raise ApplicationError(
            _("Please tell us why, so that we can make a better offer."), field="feedback"
        )
    if len(feedback) > 4000:
        raise ApplicationError(_("At most 4000 characters."), field="feedback")
    quote.status = Quote.Status.DECLINED
    quote.decided_at = now
    quote.decided_by = contact
    quote.feedback = feedback
    quote.save(update_fields=["status", "decided_at", "decided_by", "feedback", "updated_at"])
    commitment = quote_commitment(quote)
    if commitment is not None:
        commitment_keep(commitment=commitment, actor=None, now=now)
    client = quote.project.client
    alert_raise(
        workspace=quote.workspace_id,
        kind=Alert.Kind.QUOTE_DECLINED,
        dedupe_key=f"quote_declined:{quote.pk}",
        client=client,
        assignee=quote.created_by_id or client.account_owner_id,
        subject=quote,
        data={
            "ref": quote.reference,
            "title": quote.title,
            "name": contact.name,
            "feedback": feedback[:200],
        },
    )
    alerts_resolve_for(subject=quote, kinds=[Alert.Kind.QUOTE_EXPIRING])
    timeline_record(
        client=client,
        verb="quote.declined",
        actor_contact=contact,
        subject=quote,
        data={"ref": quote.reference, "name": contact.name, "feedback": feedback[:200]},
    )
    return quote
