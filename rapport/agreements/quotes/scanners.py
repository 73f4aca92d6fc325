"""The tick's quote scanners: a polite reminder before a quote expires, then its expiry (P07).

Both read the QUOTE commitments of the ledger through its partial index on open rows by due
time, so their cost grows with what is due, not with the number of quotes. The reminder is
claimed with a conditional update of ``reminded_at`` and written with dedupe keys; the expiry
is a conditional status update. Running either twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format

from rapport.agreements.models import Quote
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_keep
from rapport.core.periodic import register_job
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.notifications.services import alert_raise, notification_queue

BATCH = 500
# A quote sent less than a day before its reminder window gets no reminder on its first day.
FRESH = timedelta(days=1)


def reminder_days() -> int:
    return int(getattr(settings, "QUOTE_EXPIRY_REMINDER_DAYS", 3))


def _quote_id(commitment: Commitment) -> int | None:
    key = commitment.dedupe_key or ""
    prefix, _sep, pk = key.partition(":")
    return int(pk) if prefix == "quote" and pk.isdigit() else None


def _quotes_for(commitments: list[Commitment]) -> dict[int, Quote]:
    ids = [qid for c in commitments if (qid := _quote_id(c)) is not None]
    return {
        q.pk: q
        for q in Quote.objects.filter(pk__in=ids).select_related(
            "contact__client__workspace", "project__client"
        )
    }


@register_job
def scan_quotes_expiring(now: datetime) -> int:
    """N days (QUOTE_EXPIRY_REMINDER_DAYS, default 3) before a sent quote's validity ends:
    one reminder to its contact, in their language, and a QUOTE_EXPIRING alert."""
    due = list(
        Commitment.objects.filter(
            state=Commitment.State.OPEN,
            kind=Commitment.Kind.QUOTE,
            reminded_at__isnull=True,
            due_at__gte=now,
            due_at__lte=now + timedelta(days=reminder_days()),
            created_at__lte=now - FRESH,
        ).order_by("due_at", "id")[:BATCH]
    )
    quotes = _quotes_for(due)
    sent = 0
    for commitment in due:
        quote = quotes.get(_quote_id(commitment) or 0)
        with transaction.atomic():
            claimed = Commitment.objects.filter(pk=commitment.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed or quote is None or quote.status != Quote.Status.SENT:
                continue
            if quote.contact is not None and quote.contact.archived_at is None:
                notification_queue(
                    contact=quote.contact,
                    template="quote_expiring",
                    context={"quote": quote},
                    subject=quote,
                    dedupe_key=f"quote_expiring:{quote.pk}",
                    now=now,
                )
            alert_raise(
                workspace=quote.workspace_id,
                kind=Alert.Kind.QUOTE_EXPIRING,
                dedupe_key=f"quote_expiring:{quote.pk}",
                client=quote.project.client,
                assignee=commitment.owner_id,
                subject=quote,
                data={
                    "ref": quote.reference,
                    "title": quote.title,
                    "date": date_format(quote.valid_until, "Y-m-d"),
                },
                due_at=commitment.due_at,
            )
            sent += 1
    return sent


@register_job
def scan_quotes_expired(now: datetime) -> int:
    """A sent quote past the end of its validity date expires; its commitment is kept (the
    price was held all along). The ledger's broken-commitment scanner leaves QUOTE rows to
    this one."""
    due = list(
        Commitment.objects.filter(
            state=Commitment.State.OPEN, kind=Commitment.Kind.QUOTE, due_at__lt=now
        )
        .select_related("client")
        .order_by("due_at", "id")[:BATCH]
    )
    quotes = _quotes_for(due)
    expired = 0
    for commitment in due:
        quote = quotes.get(_quote_id(commitment) or 0)
        with transaction.atomic():
            if quote is not None:
                changed = Quote.objects.filter(pk=quote.pk, status=Quote.Status.SENT).update(
                    status=Quote.Status.EXPIRED, updated_at=now
                )
                if changed:
                    expired += 1
                    timeline_record(
                        client=commitment.client,
                        verb="quote.expired",
                        subject=quote,
                        data={"ref": quote.reference},
                    )
            commitment_keep(commitment=commitment, actor=None, now=now)
    return expired
