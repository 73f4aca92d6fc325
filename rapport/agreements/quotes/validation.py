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

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.agreements.models import (
    PaymentStage,
    Quote,
    QuoteDeliverable,
    QuoteLine,
    QuotePackage,
)
from rapport.agreements.quotes.inputs import DeliverableInput, LineInput, QuoteInput
from rapport.agreements.quotes.packages import cheapest, packages_group
from rapport.agreements.quotes.schedule import blank, named, schedule_resolve
from rapport.clients.models import Contact
from rapport.core.clock import end_of_day
from rapport.core.errors import ApplicationError
from rapport.core.money import (
    MAX_AMOUNT,
    currency_check,
    line_amounts,
    parse_amount,
    parse_quantity,
    parse_rate,
)
from rapport.projects.models import Project

MAX_LINES = 200
MAX_VALIDITY_DAYS = 366
MAX_FREE_ROUNDS = 20
# A new quote, and a new version of an old one, holds its price this long at least.
DEFAULT_VALIDITY_DAYS = 30


@dataclass
class CleanedQuote:
    """Validated values, ready to write."""

    fields: dict[str, Any]
    lines: list[QuoteLine]
    deliverables: list[QuoteDeliverable]
    stages: list[PaymentStage]
    # Optional packages (none, or two or more) and each line's package index (ADR 0022).
    packages: list[QuotePackage]
    line_package: list[int | None]


def quote_valid_until_at(quote: Quote) -> datetime:
    """The moment the held price ends: the end of ``valid_until`` in the workspace's zone."""
    return end_of_day(quote.valid_until, quote.client.workspace.timezone)


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
        data.revision_hourly_rate if not blank(data.revision_hourly_rate) else "0",
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
            raise named(
                exc, _("%(label)s, quantity") % {"label": label}, f"{ref}-quantity"
            ) from None
        try:
            unit_price = parse_amount(line.unit_price, field=f"{ref}-unit_price", currency=currency)
        except ApplicationError as exc:
            raise named(
                exc, _("%(label)s, unit price") % {"label": label}, f"{ref}-unit_price"
            ) from None
        try:
            tax_rate = parse_rate(line.tax_rate, field=f"{ref}-tax_rate")
        except ApplicationError as exc:
            raise named(exc, _("%(label)s, tax %%") % {"label": label}, f"{ref}-tax_rate") from None
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
    grouped = packages_group(data.lines, lines)
    options = grouped.packages or [
        QuotePackage(
            subtotal=sum((line.net for line in lines), Decimal(0)),
            tax_total=sum((line.tax for line in lines), Decimal(0)),
        )
    ]
    for option in options:
        option.total = option.subtotal + option.tax_total
        if option.total <= 0:
            raise ApplicationError(_("The total must be more than zero."), field="lines")
        if option.total > MAX_AMOUNT:
            raise ApplicationError(_("That total is too large to be right."), field="lines")
    deliverables = _clean_deliverables(data.deliverables)
    if grouped.packages and any(blank(s.percent) for s in data.stages):
        # The total depends on the package chosen; a share of it fits every package.
        raise ApplicationError(
            _("With packages, give each payment as a share of the total (%), not an amount."),
            field="stages",
        )
    shown = cheapest(options)
    for option in options:
        stages = schedule_resolve(
            data.stages, project=project, currency=currency, total=option.total
        )
        if option is shown:
            kept = stages
    fields.update(subtotal=shown.subtotal, tax_total=shown.tax_total, total=shown.total)
    return CleanedQuote(
        fields=fields,
        lines=lines,
        deliverables=deliverables,
        stages=kept,
        packages=grouped.packages,
        line_package=grouped.line_package,
    )


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
