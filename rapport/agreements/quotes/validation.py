"""The rules of a quote, checked before anything is written (P06, P07).

:func:`quote_validate` checks a :class:`~rapport.agreements.quotes.inputs.QuoteInput` as a whole
and returns the rows to write; a refusal is an ``ApplicationError`` naming the field ("lines-2-
unit_price"), so the editor shows it on the row at fault. :func:`decidable_check` refuses a
client's decision they can no longer make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.agreements.models import PaymentStage, Quote, QuoteDeliverable, QuoteLine
from rapport.agreements.quotes.inputs import DeliverableInput, LineInput, QuoteInput, StageInput
from rapport.clients.models import Contact
from rapport.core.clock import end_of_day
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
from rapport.projects.models import Milestone, Project

MAX_LINES = 200
MAX_STAGES = 20
MAX_VALIDITY_DAYS = 366
MAX_FREE_ROUNDS = 20
# A new quote, and a new version of an old one, holds its price this long at least.
DEFAULT_VALIDITY_DAYS = 30
HUNDRED = Decimal(100)


@dataclass
class CleanedQuote:
    """Validated values, ready to write."""

    fields: dict[str, Any]
    lines: list[QuoteLine]
    deliverables: list[QuoteDeliverable]
    stages: list[PaymentStage]


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


def quote_validate(
    *, project: Project, data: QuoteInput, today: date, new_terms: bool = False
) -> CleanedQuote:
    """Every rule of a quote, checked before anything is written (raises ApplicationError).

    ``new_terms`` (the editor's save) also asks for the hourly rate after the free rounds:
    the free rounds are always a limit, and "then 0,00 € per hour" reads as a mistake (P08).
    Sending re-checks a stored quote without it, so quotes saved before the rule stay as
    they are.
    """
    fields = _clean_header(data, project, today)
    if new_terms and fields["revision_hourly_rate"] <= 0:
        raise ApplicationError(
            _("Set the hourly rate for the rounds after the free ones; the client reads it."),
            field="revision_hourly_rate",
        )
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
    return CleanedQuote(fields=fields, lines=lines, deliverables=deliverables, stages=stages)


def decidable_check(quote: Quote, contact: Contact, now: datetime) -> None:
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
