"""A new version of a quote the client has seen (P07): Q-12 v2 replaces Q-12."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.agreements.models import PaymentStage, Quote, QuoteDeliverable, QuoteLine, QuotePackage
from rapport.agreements.quotes.validation import DEFAULT_VALIDITY_DAYS
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_cancel
from rapport.core.clock import workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.texts import text_ref
from rapport.core.timeline import timeline_record

# Quotes from which a new version may follow (the client has seen them).
VERSIONABLE = (Quote.Status.SENT, Quote.Status.DECLINED, Quote.Status.EXPIRED)


def quote_commitment(quote: Quote) -> Commitment | None:
    """The open commitment that holds the quote's price, if any."""
    return (
        Commitment.objects.select_related("client")
        .filter(dedupe_key=f"quote:{quote.pk}", state=Commitment.State.OPEN)
        .first()
    )


@transaction.atomic
def quote_new_version(*, quote: Quote, actor: User | None) -> Quote:
    """Version n+1 of a sent, declined or expired quote, as a draft copy of it.

    The old version becomes superseded at once: the client can no longer accept it, and the
    price it held is no longer offered (its commitment is cancelled, not broken).
    """
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("project__client__workspace", "contact")
        .get(pk=quote.pk)
    )
    if quote.status not in VERSIONABLE:
        raise ApplicationError(
            _("A new version follows a quote the client has seen (sent, declined or expired)."),
            field="status",
        )
    if Quote.objects.filter(previous=quote).exists():
        raise ApplicationError(_("This quote already has a newer version."), field="status")
    workspace = quote.project.client.workspace
    today = workspace_today(workspace)
    top = (
        Quote.objects.for_workspace(quote.workspace_id)
        .filter(series=quote.series)
        .aggregate(n=Max("version"))["n"]
    )
    new = Quote.objects.create(
        workspace_id=quote.workspace_id,
        client_id=quote.client_id,
        project_id=quote.project_id,
        contact=quote.contact,
        series=quote.series,
        version=(top or quote.version) + 1,
        previous=quote,
        title=quote.title,
        summary=quote.summary,
        currency=quote.currency,
        language=quote.language,
        valid_until=max(quote.valid_until, today + timedelta(days=DEFAULT_VALIDITY_DAYS)),
        out_of_scope=quote.out_of_scope,
        revision_free_rounds=quote.revision_free_rounds,
        revision_hourly_rate=quote.revision_hourly_rate,
        subtotal=quote.subtotal,
        tax_total=quote.tax_total,
        total=quote.total,
        created_by=actor,
    )
    # The new version offers the same packages; its lines point to its own copies.
    copies = {
        p.pk: QuotePackage.objects.create(
            quote=new,
            position=p.position,
            name=p.name,
            subtotal=p.subtotal,
            tax_total=p.tax_total,
            total=p.total,
        )
        for p in quote.packages.all()
    }
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=new,
            package=copies.get(line.package_id) if line.package_id else None,
            position=line.position,
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            tax_rate=line.tax_rate,
            net=line.net,
            tax=line.tax,
        )
        for line in quote.lines.all()
    )
    QuoteDeliverable.objects.bulk_create(
        QuoteDeliverable(
            quote=new, position=d.position, title=d.title, spec=d.spec, format=d.format
        )
        for d in quote.deliverables.all()
    )
    PaymentStage.objects.bulk_create(
        PaymentStage(
            workspace_id=quote.workspace_id,
            quote=new,
            position=s.position,
            kind=s.kind,
            label=s.label,
            percent=s.percent,
            amount=s.amount,
            milestone_id=s.milestone_id,
        )
        for s in quote.stages.filter(change_request__isnull=True)
    )
    old_status = quote.status
    quote.status = Quote.Status.SUPERSEDED
    quote.save(update_fields=["status", "updated_at"])
    if old_status == Quote.Status.SENT:
        commitment = quote_commitment(quote)
        if commitment is not None:
            commitment_cancel(
                commitment=commitment,
                actor=actor,
                reason=text_ref("reason.quote_replaced"),
            )
    timeline_record(
        client=quote.project.client,
        verb="quote.new_version",
        actor=actor,
        subject=new,
        data={"ref": new.reference, "old": quote.reference},
    )
    return new
