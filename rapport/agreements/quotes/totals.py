"""The editor's running totals: what the lines come to as they are typed (P07).

The same arithmetic as :func:`~rapport.agreements.quotes.validation.quote_validate` (each line
rounded to the currency's minor unit by ``line_amounts``, totals the sums of rounded lines), so
the figure under the lines is the figure the quote is saved with. Unlike the save, a line that
does not parse yet is left out and counted, not refused: the provider is still typing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rapport.agreements.quotes.inputs import LineInput
from rapport.core.errors import ApplicationError
from rapport.core.money import (
    currency_check,
    line_amounts,
    parse_amount,
    parse_quantity,
    parse_rate,
)


@dataclass
class Totals:
    currency: str
    subtotal: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    # Tax per rate, lowest rate first: an invoice in the EU shows each rate apart.
    taxes: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    left_out: int = 0
    # Each package's total, common lines included, in the order the names first appear.
    packages: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def tax_total(self) -> Decimal:
        return sum((amount for _rate, amount in self.taxes), Decimal(0))


def quote_totals(*, lines: list[LineInput], currency: str) -> Totals:
    """Subtotal, tax per rate and total of ``lines``; raises only for an unknown currency.

    With packages, the subtotal and total add every line (all that is offered) and
    ``packages`` gives what each package comes to: its lines plus the common ones.
    """
    code = currency_check(currency)
    totals = Totals(currency=code)
    by_rate: dict[Decimal, Decimal] = {}
    common = Decimal(0)
    by_package: dict[str, tuple[str, Decimal]] = {}
    for line in lines:
        try:
            quantity = parse_quantity(line.quantity, field="quantity")
            price = parse_amount(line.unit_price, field="unit_price", currency=code)
            rate = parse_rate(line.tax_rate, field="tax_rate")
        except ApplicationError:
            totals.left_out += 1
            continue
        net, tax = line_amounts(quantity, price, rate, code)
        totals.subtotal += net
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + tax
        name = " ".join((line.package or "").split())
        if not name:
            common += net + tax
        else:
            shown, amount = by_package.get(name.casefold(), (name, Decimal(0)))
            by_package[name.casefold()] = (shown, amount + net + tax)
    totals.taxes = sorted((rate, amount) for rate, amount in by_rate.items() if rate)
    totals.total = totals.subtotal + totals.tax_total
    # One package alone is no choice; saving says so. Shown from two on.
    if len(by_package) > 1:
        totals.packages = [(name, common + amount) for name, amount in by_package.values()]
    return totals
