"""Quotes: price and scope in writing before any work starts (P06, P07).

A quote is written as a whole: its lines, deliverables and payment schedule are validated
together and saved in one transaction, or not at all. Amounts pass through
:mod:`rapport.core.money` (``Decimal`` only, each line rounded to the currency's minor unit,
totals are sums of the rounded lines). Sending it holds the price until ``valid_until``: a
commitment of kind QUOTE on the client's ledger, closed as kept when the client decides or
when the quote expires (the price was held either way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.accounts.models import LANGUAGE_CHOICES, User, Workspace
from rapport.agreements.models import PaymentStage, Quote, QuoteDeliverable, QuoteLine
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services import commitment_cancel, commitment_keep, commitment_open
from rapport.core.clock import end_of_day, workspace_today
from rapport.core.errors import ApplicationError
from rapport.core.money import (
    MAX_AMOUNT,
    currency_check,
    line_amounts,
    minor_unit,
    parse_amount,
    parse_quantity,
    parse_rate,
    to_minor,
)
from rapport.core.templatetags.rapport import babel_locale
from rapport.core.timeline import timeline_record
from rapport.notifications.models import Alert
from rapport.projects.models import Deliverable, Milestone, Project

MAX_LINES = 200
MAX_STAGES = 20
MAX_VALIDITY_DAYS = 366
MAX_FREE_ROUNDS = 20
DEFAULT_VALIDITY_DAYS = 30
HUNDRED = Decimal(100)

# Quotes the provider may still change in place; every other status is a record.
EDITABLE = (Quote.Status.DRAFT,)
# Quotes from which a new version may follow (the client has seen them).
VERSIONABLE = (Quote.Status.SENT, Quote.Status.DECLINED, Quote.Status.EXPIRED)


# --- Input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """One line as typed. ``ref`` names its row in the form ("lines-2") for error messages."""

    description: str
    unit_price: object
    quantity: object = "1"
    kind: str = QuoteLine.Kind.FIXED
    unit: str = ""
    tax_rate: object = "0"
    ref: str = ""


@dataclass(frozen=True)
class DeliverableInput:
    title: str
    spec: str
    format: str
    ref: str = ""


@dataclass(frozen=True)
class StageInput:
    """A payment: ``percent`` of the total or an ``amount`` (exactly one of them)."""

    kind: str
    percent: object = None
    amount: object = None
    label: str = ""
    milestone_id: int | None = None
    ref: str = ""


@dataclass(frozen=True)
class QuoteInput:
    contact: Contact | None
    title: str
    currency: str
    language: str
    valid_until: date | None
    lines: list[LineInput]
    stages: list[StageInput]
    deliverables: list[DeliverableInput] = field(default_factory=list)
    summary: str = ""
    out_of_scope: str = ""
    revision_free_rounds: object = 2
    revision_hourly_rate: object = "0"


@dataclass
class _Cleaned:
    """Validated values, ready to write."""

    fields: dict[str, Any]
    lines: list[QuoteLine]
    deliverables: list[QuoteDeliverable]
    stages: list[PaymentStage]


# --- Helpers ----------------------------------------------------------------------------------


def money_text(amount: Decimal, currency: str) -> str:
    """An amount as the reader writes it ("1.234,50 €" in Greek), for messages."""
    return format_currency(amount, currency, locale=babel_locale())


def quote_valid_until_at(quote: Quote) -> datetime:
    """The moment the held price ends: the end of ``valid_until`` in the workspace's zone."""
    return end_of_day(quote.valid_until, quote.client.workspace.timezone)


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def _named(exc: ApplicationError, label: str, field_name: str) -> ApplicationError:
    """The same refusal, saying which row it is about ("Line 2, unit price: …")."""
    return ApplicationError(f"{label}: {exc.message}", field=field_name)


# --- Validation -------------------------------------------------------------------------------


def _clean_header(data: QuoteInput, project: Project, today: date) -> dict[str, Any]:
    title = (data.title or "").strip()
    if not title:
        raise ApplicationError(_("Give the quote a title."), field="title")
    if len(title) > 200:
        raise ApplicationError(_("At most 200 characters."), field="title")
    currency = currency_check(data.currency)
    if data.language not in dict(LANGUAGE_CHOICES):
        raise ApplicationError(_("Choose the language the client reads."), field="language")
    contact = data.contact
    if contact is None:
        raise ApplicationError(_("Choose the contact who receives the quote."), field="contact")
    if contact.client_id != project.client_id or contact.archived_at is not None:
        raise ApplicationError(_("Choose a current contact of this client."), field="contact")
    if data.valid_until is None:
        raise ApplicationError(_("Say until when the price holds."), field="valid_until")
    if data.valid_until < today:
        raise ApplicationError(
            _("The date is in the past: a quote must be valid until today or later."),
            field="valid_until",
        )
    if data.valid_until > today + timedelta(days=MAX_VALIDITY_DAYS):
        raise ApplicationError(
            _("A price held for more than a year is too long to be right."), field="valid_until"
        )
    try:
        rounds = int(str(data.revision_free_rounds).strip() or "0")
    except ValueError:
        raise ApplicationError(
            _("Enter a whole number of rounds, such as 2."), field="revision_free_rounds"
        ) from None
    if not 0 <= rounds <= MAX_FREE_ROUNDS:
        raise ApplicationError(
            _("Between 0 and %(max)s free rounds.") % {"max": MAX_FREE_ROUNDS},
            field="revision_free_rounds",
        )
    rate = parse_amount(
        data.revision_hourly_rate if not _blank(data.revision_hourly_rate) else "0",
        field="revision_hourly_rate",
        currency=currency,
    )
    return {
        "title": title,
        "summary": (data.summary or "").strip(),
        "currency": currency,
        "language": data.language,
        "contact": contact,
        "valid_until": data.valid_until,
        "out_of_scope": (data.out_of_scope or "").strip(),
        "revision_free_rounds": rounds,
        "revision_hourly_rate": rate,
    }


def _clean_lines(lines: list[LineInput], currency: str) -> list[QuoteLine]:
    if not lines:
        raise ApplicationError(_("Add at least one line with a price."), field="lines")
    if len(lines) > MAX_LINES:
        raise ApplicationError(_("At most %(max)s lines.") % {"max": MAX_LINES}, field="lines")
    cleaned = []
    for i, line in enumerate(lines):
        ref = line.ref or f"lines-{i}"
        label = _("Line %(n)s") % {"n": i + 1}
        description = (line.description or "").strip()
        if not description:
            raise ApplicationError(
                _("%(label)s: describe the work.") % {"label": label}, field=f"{ref}-description"
            )
        if len(description) > 300:
            raise ApplicationError(
                _("%(label)s: at most 300 characters.") % {"label": label},
                field=f"{ref}-description",
            )
        if line.kind not in QuoteLine.Kind.values:
            raise ApplicationError(
                _("%(label)s: choose fixed, hourly or per unit.") % {"label": label},
                field=f"{ref}-kind",
            )
        if len(line.unit or "") > 40:
            raise ApplicationError(
                _("%(label)s: at most 40 characters.") % {"label": label}, field=f"{ref}-unit"
            )
        try:
            quantity = parse_quantity(line.quantity, field=f"{ref}-quantity")
        except ApplicationError as exc:
            raise _named(
                exc, _("%(label)s, quantity") % {"label": label}, f"{ref}-quantity"
            ) from None
        try:
            unit_price = parse_amount(line.unit_price, field=f"{ref}-unit_price", currency=currency)
        except ApplicationError as exc:
            raise _named(
                exc, _("%(label)s, unit price") % {"label": label}, f"{ref}-unit_price"
            ) from None
        try:
            tax_rate = parse_rate(line.tax_rate, field=f"{ref}-tax_rate")
        except ApplicationError as exc:
            raise _named(
                exc, _("%(label)s, tax %%") % {"label": label}, f"{ref}-tax_rate"
            ) from None
        net, tax = line_amounts(quantity, unit_price, tax_rate, currency)
        if net + tax > MAX_AMOUNT:
            raise ApplicationError(
                _("%(label)s: that amount is too large to be right.") % {"label": label},
                field=f"{ref}-quantity",
            )
        cleaned.append(
            QuoteLine(
                position=i,
                kind=line.kind,
                description=description,
                quantity=quantity,
                unit=(line.unit or "").strip(),
                unit_price=unit_price,
                tax_rate=tax_rate,
                net=net,
                tax=tax,
            )
        )
    return cleaned


def _clean_deliverables(items: list[DeliverableInput]) -> list[QuoteDeliverable]:
    cleaned = []
    for i, item in enumerate(items):
        ref = item.ref or f"deliverables-{i}"
        label = _("Deliverable %(n)s") % {"n": i + 1}
        title, spec, fmt = (item.title or "").strip(), (item.spec or "").strip(), item.format
        fmt = (fmt or "").strip()
        # P06: what can be misunderstood will be; a deliverable says what and in which format.
        for value, name, message in (
            (title, "title", _("%(label)s: give it a title.")),
            (spec, "spec", _("%(label)s: say exactly what is delivered.")),
            (fmt, "format", _("%(label)s: say in which format (for example .fig and .pdf).")),
        ):
            if not value:
                raise ApplicationError(message % {"label": label}, field=f"{ref}-{name}")
        if len(title) > 200 or len(fmt) > 200:
            raise ApplicationError(
                _("%(label)s: at most 200 characters.") % {"label": label}, field=f"{ref}-title"
            )
        cleaned.append(QuoteDeliverable(position=i, title=title, spec=spec, format=fmt))
    return cleaned


def _clean_stages(
    stages: list[StageInput], *, project: Project, currency: str, total: Decimal
) -> list[PaymentStage]:
    """Resolve the schedule to amounts; it must add up exactly to ``total``.

    Percent stages are rounded to the minor unit; the rounding remainder goes to the last
    stage if it is a percent stage (else to the last percent stage), so that 3 x 33.33% +
    0.01% of 100.01 € pays exactly 100.01 €, never a cent more or less.
    """
    if not stages:
        raise ApplicationError(_("Add the payment schedule: at least one payment."), field="stages")
    if len(stages) > MAX_STAGES:
        raise ApplicationError(_("At most %(max)s payments.") % {"max": MAX_STAGES}, field="stages")
    allowed = {PaymentStage.Kind.DEPOSIT, PaymentStage.Kind.MILESTONE, PaymentStage.Kind.FINAL}
    milestone_ids = {s.milestone_id for s in stages if s.milestone_id is not None}
    milestones = {
        m.pk: m
        for m in Milestone.objects.filter(
            pk__in=milestone_ids, project=project, archived_at__isnull=True
        )
    }
    resolved: list[PaymentStage] = []
    exact_sum = Decimal(0)
    kinds_seen: list[str] = []
    for i, stage in enumerate(stages):
        ref = stage.ref or f"stages-{i}"
        label = _("Payment %(n)s") % {"n": i + 1}
        if stage.kind not in allowed:
            raise ApplicationError(
                _("%(label)s: choose deposit, milestone payment or final payment.")
                % {"label": label},
                field=f"{ref}-kind",
            )
        if stage.kind in kinds_seen and stage.kind != PaymentStage.Kind.MILESTONE:
            raise ApplicationError(
                _("%(label)s: a schedule has one %(kind)s at most.")
                % {"label": label, "kind": PaymentStage.Kind(stage.kind).label.lower()},
                field=f"{ref}-kind",
            )
        kinds_seen.append(stage.kind)
        milestone = None
        if stage.kind == PaymentStage.Kind.MILESTONE:
            if stage.milestone_id is None:
                raise ApplicationError(
                    _("%(label)s: choose the milestone it is paid on.") % {"label": label},
                    field=f"{ref}-milestone",
                )
            milestone = milestones.get(stage.milestone_id)
            if milestone is None:
                raise ApplicationError(
                    _("%(label)s: that milestone is not part of this project.") % {"label": label},
                    field=f"{ref}-milestone",
                )
        elif stage.milestone_id is not None:
            raise ApplicationError(
                _("%(label)s: only a milestone payment is tied to a milestone.") % {"label": label},
                field=f"{ref}-milestone",
            )
        has_percent, has_amount = not _blank(stage.percent), not _blank(stage.amount)
        if has_percent == has_amount:
            raise ApplicationError(
                _("%(label)s: give either a percentage of the total or an amount.")
                % {"label": label},
                field=f"{ref}-percent",
            )
        percent = None
        if has_percent:
            try:
                percent = parse_rate(stage.percent, field=f"{ref}-percent")
            except ApplicationError as exc:
                raise _named(exc, label, f"{ref}-percent") from None
            if percent == 0:
                raise ApplicationError(
                    _("%(label)s: a payment is more than 0%%.") % {"label": label},
                    field=f"{ref}-percent",
                )
            exact = total * percent / HUNDRED
            amount = to_minor(exact, currency)
        else:
            try:
                amount = parse_amount(
                    stage.amount, field=f"{ref}-amount", currency=currency, allow_zero=False
                )
            except ApplicationError as exc:
                raise _named(exc, label, f"{ref}-amount") from None
            exact = amount
        exact_sum += exact
        resolved.append(
            PaymentStage(
                position=i,
                kind=stage.kind,
                label=(stage.label or "").strip()[:200],
                percent=percent,
                amount=amount,
                milestone=milestone,
            )
        )
    if exact_sum != total:
        shown = sum((s.amount for s in resolved), Decimal(0))
        raise ApplicationError(
            _("The payment schedule adds up to %(sum)s, the total is %(total)s.")
            % {"sum": money_text(shown, currency), "total": money_text(total, currency)},
            field="stages",
        )
    remainder = total - sum((s.amount for s in resolved), Decimal(0))
    if remainder:
        percent_stages = [s for s in resolved if s.percent is not None]
        absorber = resolved[-1] if resolved[-1].percent is not None else percent_stages[-1]
        absorber.amount += remainder
    for i, resolved_stage in enumerate(resolved):
        if resolved_stage.amount <= 0:
            raise ApplicationError(
                _("Payment %(n)s: %(percent)s%% of the total is less than %(least)s.")
                % {
                    "n": i + 1,
                    "percent": resolved_stage.percent,
                    "least": money_text(Decimal(1).scaleb(-minor_unit(currency)), currency),
                },
                field=f"{stages[i].ref or f'stages-{i}'}-percent",
            )
    return resolved


def quote_validate(*, project: Project, data: QuoteInput, today: date) -> _Cleaned:
    """Every rule of a quote, checked before anything is written (raises ApplicationError)."""
    fields = _clean_header(data, project, today)
    currency = fields["currency"]
    lines = _clean_lines(data.lines, currency)
    subtotal = sum((line.net for line in lines), Decimal(0))
    tax_total = sum((line.tax for line in lines), Decimal(0))
    total = subtotal + tax_total
    if total <= 0:
        raise ApplicationError(_("The total must be more than zero."), field="lines")
    if total > MAX_AMOUNT:
        raise ApplicationError(_("That total is too large to be right."), field="lines")
    deliverables = _clean_deliverables(data.deliverables)
    stages = _clean_stages(data.stages, project=project, currency=currency, total=total)
    fields.update(subtotal=subtotal, tax_total=tax_total, total=total)
    return _Cleaned(fields=fields, lines=lines, deliverables=deliverables, stages=stages)


def _write_children(quote: Quote, cleaned: _Cleaned) -> None:
    quote.lines.all().delete()
    quote.deliverables.all().delete()
    quote.stages.all().delete()
    for line in cleaned.lines:
        line.quote = quote
    for item in cleaned.deliverables:
        item.quote = quote
    for stage in cleaned.stages:
        stage.quote = quote
        stage.workspace_id = quote.workspace_id
    QuoteLine.objects.bulk_create(cleaned.lines)
    QuoteDeliverable.objects.bulk_create(cleaned.deliverables)
    PaymentStage.objects.bulk_create(cleaned.stages)


# --- Defaults for a new quote -----------------------------------------------------------------


def quote_defaults(*, project: Project, today: date) -> dict[str, Any]:
    """What the editor starts from: the client's currency and language, the project's
    deliverables (spec and format) and out-of-scope list, a deposit and a final payment."""
    client = project.client
    contact = client.contacts.filter(archived_at__isnull=True).order_by("name", "id").first()
    deliverables = Deliverable.objects.filter(
        milestone__project=project, archived_at__isnull=True, milestone__archived_at__isnull=True
    ).order_by("milestone__due_date", "id")
    return {
        "contact": contact,
        "title": project.title,
        "summary": project.goal,
        "currency": client.currency,
        "language": client.language,
        "valid_until": today + timedelta(days=DEFAULT_VALIDITY_DAYS),
        "out_of_scope": project.out_of_scope,
        "revision_free_rounds": 2,
        "revision_hourly_rate": Decimal(0),
        "deliverables": [
            {"title": d.title, "spec": d.spec, "format": d.format} for d in deliverables
        ],
        "lines": [
            {
                "kind": QuoteLine.Kind.FIXED,
                "description": project.title,
                "quantity": Decimal(1),
                "unit_price": project.budget if project.budget else "",
                "tax_rate": Decimal(0),
            }
        ],
        "stages": [
            {"kind": PaymentStage.Kind.DEPOSIT, "percent": Decimal(50)},
            {"kind": PaymentStage.Kind.FINAL, "percent": Decimal(50)},
        ],
    }


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def quote_create(*, project: Project, actor: User | None, data: QuoteInput) -> Quote:
    """A draft quote for ``project`` with its lines, deliverables and schedule (P06, P07).

    All of it is validated first; a refusal names the field and writes nothing. The quote
    gets the workspace's next series number (Q-12), version 1.
    """
    if project.archived_at is not None:
        raise ApplicationError(_("This project is archived."), field="project")
    workspace = Workspace.objects.select_for_update().get(pk=project.workspace_id)
    cleaned = quote_validate(project=project, data=data, today=workspace_today(workspace))
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
    cleaned = quote_validate(
        project=quote.project, data=data, today=workspace_today(quote.project.client.workspace)
    )
    for name, value in cleaned.fields.items():
        setattr(quote, name, value)
    quote.save()
    _write_children(quote, cleaned)
    return quote


def quote_portal_url(quote: Quote, token: str) -> str:
    """A one-time portal link that opens on this quote (P13)."""
    from rapport.clients.portal_links.services import portal_link_url

    return f"{portal_link_url(token)}?next={reverse('portal:quote', args=[quote.pk])}"


def _commitment_of(quote: Quote) -> Commitment | None:
    return (
        Commitment.objects.select_related("client")
        .filter(dedupe_key=f"quote:{quote.pk}", state=Commitment.State.OPEN)
        .first()
    )


@transaction.atomic
def quote_send(*, quote: Quote, actor: User | None) -> Quote:
    """Send a draft to its contact: status sent, the price held until ``valid_until``.

    Writes, in this transaction: the ``quote_sent`` notification in the contact's language
    with a portal link to the quote, a QUOTE commitment due at the end of ``valid_until`` in
    the workspace's time zone, and the timeline event. The content is checked again (a draft
    saved last month may have a validity date now past).
    """
    from rapport.clients.portal_links.services import portal_link_create
    from rapport.notifications.services import notification_queue

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


def quote_input_of(quote: Quote) -> QuoteInput:
    """A stored quote as input again (to re-check it before sending, or to copy it)."""
    return QuoteInput(
        contact=quote.contact,
        title=quote.title,
        summary=quote.summary,
        currency=quote.currency,
        language=quote.language,
        valid_until=quote.valid_until,
        out_of_scope=quote.out_of_scope,
        revision_free_rounds=quote.revision_free_rounds,
        revision_hourly_rate=quote.revision_hourly_rate,
        lines=[
            LineInput(
                kind=line.kind,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
            )
            for line in quote.lines.all()
        ],
        deliverables=[
            DeliverableInput(title=d.title, spec=d.spec, format=d.format)
            for d in quote.deliverables.all()
        ],
        stages=[
            StageInput(
                kind=s.kind,
                label=s.label,
                # A percent stage is re-resolved from its percent; the amount follows.
                percent=s.percent,
                amount=None if s.percent is not None else s.amount,
                milestone_id=s.milestone_id,
            )
            for s in quote.stages.all()
        ],
    )


def _decidable(quote: Quote, contact: Contact, now: datetime) -> None:
    """Refuse a decision the client can no longer make, saying why."""
    if quote.client_id != contact.client_id or quote.workspace_id != contact.workspace_id:
        raise ApplicationError(_("This quote is not addressed to you."), code="not_found")
    if quote.status == Quote.Status.SUPERSEDED:
        raise ApplicationError(
            _("This version was replaced by a newer one; please look at the current version."),
            field="status",
        )
    if quote.status in (Quote.Status.ACCEPTED, Quote.Status.DECLINED):
        raise ApplicationError(
            _("You already decided on this quote (%(status)s).")
            % {"status": quote.get_status_display().lower()},
            field="status",
        )
    if quote.status == Quote.Status.EXPIRED or (
        quote.status == Quote.Status.SENT and now > quote_valid_until_at(quote)
    ):
        raise ApplicationError(
            _("This quote expired on %(date)s. Ask us for a new one.")
            % {"date": date_format(quote.valid_until, "DATE_FORMAT")},
            field="status",
        )
    if quote.status != Quote.Status.SENT:
        raise ApplicationError(_("This quote cannot be decided on."), field="status")


def _lock_for_decision(quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("project__client__workspace", "client__workspace")
        .get(pk=quote.pk)
    )


@transaction.atomic
def quote_accept(*, quote: Quote, contact: Contact, now: datetime | None = None) -> Quote:
    """The client accepts a sent, current, unexpired quote in the portal (P07, P08).

    Status accepted; the held price was kept; the provider gets a QUOTE_ACCEPTED alert; the
    project's deliverables take the quote's revision policy; and, in the same transaction,
    the contract is made from the quote (``contract_create_from_quote``). If making the
    contract fails, nothing of the acceptance is written.
    """
    from rapport.agreements.contracts import contract_create_from_quote
    from rapport.notifications.services import alert_raise, alerts_resolve_for

    now = now or timezone.now()
    quote = _lock_for_decision(quote)
    _decidable(quote, contact, now)
    quote.status = Quote.Status.ACCEPTED
    quote.decided_at = now
    quote.decided_by = contact
    quote.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    commitment = _commitment_of(quote)
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
        data={"ref": quote.reference, "title": quote.title, "name": contact.name},
        severity=Alert.Severity.INFO,
    )
    alerts_resolve_for(subject=quote, kinds=[Alert.Kind.QUOTE_EXPIRING])
    timeline_record(
        client=client,
        verb="quote.accepted",
        actor_contact=contact,
        subject=quote,
        data={"ref": quote.reference, "name": contact.name},
    )
    contract_create_from_quote(quote=quote, actor=None)
    return quote


@transaction.atomic
def quote_decline(
    *, quote: Quote, contact: Contact, feedback: str, now: datetime | None = None
) -> Quote:
    """The client declines, saying why (P07). The held price was kept; the provider is told."""
    from rapport.notifications.services import alert_raise, alerts_resolve_for

    now = now or timezone.now()
    feedback = (feedback or "").strip()
    quote = _lock_for_decision(quote)
    _decidable(quote, contact, now)
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
    commitment = _commitment_of(quote)
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
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=new,
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
        commitment = _commitment_of(quote)
        if commitment is not None:
            commitment_cancel(commitment=commitment, actor=actor)
    timeline_record(
        client=quote.project.client,
        verb="quote.new_version",
        actor=actor,
        subject=new,
        data={"ref": new.reference, "old": quote.reference},
    )
    return new
