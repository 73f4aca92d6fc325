"""A quote as typed: the input the editor, the demo and the tests give the quote services.

Values stay as typed (``object``): :mod:`rapport.agreements.quotes.validation` parses and checks
them as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapport.agreements.models import Quote, QuoteLine
from rapport.clients.models import Contact


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
    # The optional package the line belongs to, by name ("Essential"); blank: always included.
    package: str = ""


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
                package=line.package.name if line.package else "",
            )
            for line in quote.lines.select_related("package")
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
