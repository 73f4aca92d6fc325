"""Money: ``Decimal`` amounts in an ISO 4217 currency, rounded to its minor unit (P06, P09).

No float ever touches an amount. Every amount the application stores or shows has passed through
:func:`to_minor` for its currency, so a total equals the sum of its rounded lines.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError

# Amounts above this are a typo, not a quote: 10^12 in any currency (it fits NUMERIC(18, 4)).
MAX_AMOUNT = Decimal("999999999999")
# Column shape for every stored amount (four places cover every ISO minor unit and rates).
AMOUNT_DIGITS = 18
AMOUNT_PLACES = 4


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes Babel knows (EUR, RON, IDR, JPY, KWD…)."""
    return frozenset(code for code in list_currencies() if len(code) == 3 and code.isalpha())


def currency_check(code: str, *, field: str = "currency") -> str:
    """``code`` upper-cased if it is a known ISO 4217 currency, else an ``ApplicationError``."""
    code = (code or "").strip().upper()
    if code not in currencies():
        raise ApplicationError(
            _("“%(code)s” is not a currency we know (use an ISO code such as EUR).")
            % {"code": code},
            field=field,
        )
    return code


@cache
def minor_unit(currency: str) -> int:
    """Digits after the decimal point for ``currency``: EUR 2, JPY 0, KWD 3."""
    return int(get_currency_precision(currency))


def to_minor(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to ``currency``'s minor unit."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    exponent = Decimal(1).scaleb(-minor_unit(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def parse_amount(
    value: object,
    *,
    field: str,
    currency: str | None = None,
    allow_zero: bool = True,
    allow_negative: bool = False,
) -> Decimal:
    """Read an amount typed by a person ("1234.5", "1 234,50") into a ``Decimal``.

    Refuses floats, negatives (unless allowed), absurd sizes and more decimals than the
    currency has, each with a message naming ``field``.
    """
    if isinstance(value, float):
        raise TypeError("money is never a float")
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value if value is not None else "").strip()
        text = text.replace(" ", "").replace("\u00a0", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ApplicationError(_("Enter an amount, such as 1250.00."), field=field) from None
    if not amount.is_finite():
        raise ApplicationError(_("Enter an amount, such as 1250.00."), field=field)
    if amount < 0 and not allow_negative:
        raise ApplicationError(_("The amount cannot be negative."), field=field)
    if amount == 0 and not allow_zero:
        raise ApplicationError(_("The amount must be more than zero."), field=field)
    if abs(amount) > MAX_AMOUNT:
        raise ApplicationError(_("That amount is too large to be right."), field=field)
    if currency is not None:
        places = minor_unit(currency)
        exponent = amount.as_tuple().exponent
        too_precise = isinstance(exponent, int) and -exponent > places
        if too_precise and amount != to_minor(amount, currency):
            raise ApplicationError(
                _("%(currency)s amounts have at most %(places)s decimals.")
                % {"currency": currency, "places": places},
                field=field,
            )
        amount = to_minor(amount, currency)
    return amount


def parse_quantity(value: object, *, field: str) -> Decimal:
    """A positive quantity or number of hours, up to two decimals and at most 100,000."""
    if isinstance(value, float):
        raise TypeError("quantities are never floats")
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ApplicationError(_("Enter a number, such as 1 or 2.5."), field=field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ApplicationError(_("The quantity must be more than zero."), field=field)
    if quantity > 100000:
        raise ApplicationError(_("That quantity is too large to be right."), field=field)
    if quantity != quantity.quantize(Decimal("0.01")):
        raise ApplicationError(_("At most two decimals."), field=field)
    return quantity


def parse_rate(value: object, *, field: str) -> Decimal:
    """A tax rate in percent, 0 to 100, up to two decimals ("19", "7.5")."""
    if isinstance(value, float):
        raise TypeError("rates are never floats")
    text = str(value if value is not None else "").strip().replace(",", ".") or "0"
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(_("Enter a percentage, such as 19."), field=field) from None
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise ApplicationError(_("A percentage is between 0 and 100."), field=field)
    if rate != rate.quantize(Decimal("0.01")):
        raise ApplicationError(_("At most two decimals."), field=field)
    return rate


def line_amounts(
    quantity: Decimal, unit_price: Decimal, tax_rate: Decimal, currency: str
) -> tuple[Decimal, Decimal]:
    """(net, tax) of one line, each rounded to the minor unit: totals add the rounded lines."""
    net = to_minor(quantity * unit_price, currency)
    tax = to_minor(net * tax_rate / Decimal(100), currency)
    return net, tax
