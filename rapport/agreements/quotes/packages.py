"""Optional packages: two or more groups of lines the client chooses between (P07, ADR 0022).

A line names its package ("Essential", "Complete"); a line without one is common and always
included. Each package's totals are its own lines plus the common lines, so the figure the
client reads beside a package is what they pay if they choose it. The quote's own totals are
the lowest package's until the client chooses; then they are the chosen package's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from rapport.agreements.models import Quote, QuoteLine, QuotePackage
from rapport.agreements.quotes.inputs import LineInput
from rapport.core.errors import ApplicationError

MAX_PACKAGES = 4
MAX_NAME = 80


@dataclass
class Grouped:
    """The packages of a quote, in the order their names first appear, with their totals,
    and for each cleaned line the index of its package (None: a common line)."""

    packages: list[QuotePackage]
    line_package: list[int | None]


def _sums(lines: list[QuoteLine]) -> tuple[Decimal, Decimal]:
    return (
        sum((line.net for line in lines), Decimal(0)),
        sum((line.tax for line in lines), Decimal(0)),
    )


def packages_group(inputs: list[LineInput], lines: list[QuoteLine]) -> Grouped:
    """Group cleaned ``lines`` (in the order of ``inputs``) into packages.

    Refused, naming the row: a package name over 80 characters; a single package (there is
    nothing to choose between: leave the name blank to include the lines always); more than
    four; a quote whose lines all belong to packages is fine (nothing common).
    """
    names: list[str] = []
    line_package: list[int | None] = []
    for i, line_input in enumerate(inputs):
        name = " ".join((line_input.package or "").split())
        ref = line_input.ref or f"lines-{i}"
        if len(name) > MAX_NAME:
            raise ApplicationError(
                _("Line %(n)s: a package name has at most %(max)s characters.")
                % {"n": i + 1, "max": MAX_NAME},
                field=f"{ref}-package",
            )
        if not name:
            line_package.append(None)
            continue
        # "essential" and "Essential" are one package: the client would see two of one name.
        known = [n.casefold() for n in names]
        if name.casefold() not in known:
            names.append(name)
            known.append(name.casefold())
        line_package.append(known.index(name.casefold()))
    if len(names) == 1:
        first = next(i for i, p in enumerate(line_package) if p is not None)
        raise ApplicationError(
            _(
                "Only one package (“%(name)s”): offer at least two for the client to choose "
                "between, or leave the package blank to include the line always."
            )
            % {"name": names[0]},
            field=f"{inputs[first].ref or f'lines-{first}'}-package",
        )
    if len(names) > MAX_PACKAGES:
        raise ApplicationError(
            _("At most %(max)s packages: a client compares a few options, not many.")
            % {"max": MAX_PACKAGES},
            field="lines",
        )
    common = [line for line, p in zip(lines, line_package, strict=True) if p is None]
    common_net, common_tax = _sums(common)
    packages = []
    for index, name in enumerate(names):
        own = [line for line, p in zip(lines, line_package, strict=True) if p == index]
        net, tax = _sums(own)
        packages.append(
            QuotePackage(
                position=index,
                name=name,
                subtotal=common_net + net,
                tax_total=common_tax + tax,
                total=common_net + net + common_tax + tax,
            )
        )
    return Grouped(packages=packages, line_package=line_package)


def cheapest(packages: list[QuotePackage]) -> QuotePackage:
    """The package whose total the quote shows before the client chooses ("from …")."""
    return min(packages, key=lambda p: (p.total, p.position))


@dataclass
class PackageView:
    package: QuotePackage
    lines: list[QuoteLine]
    chosen: bool


@dataclass
class PriceView:
    """A quote's lines as the client reads them: the common lines, then each package with
    its own lines and totals (common lines included)."""

    common: list[QuoteLine]
    packages: list[PackageView]


def quote_price(quote: Quote) -> PriceView:
    """The price of ``quote`` by package, from its prefetched ``lines`` and ``packages``."""
    lines = list(quote.lines.all())
    return PriceView(
        common=[line for line in lines if line.package_id is None],
        packages=[
            PackageView(
                package=package,
                lines=[line for line in lines if line.package_id == package.pk],
                chosen=package.pk == quote.chosen_package_id,
            )
            for package in quote.packages.all()
        ],
    )
