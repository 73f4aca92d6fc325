"""The ways a client may pay, per workspace (P10): bank transfer, card link, PayPal, cash,
other e-wallets. Shown on every invoice (PDF and portal) and on the portal's invoices page.

An IBAN is checked the way banks check it (ISO 13616): the country's length and the mod-97
checksum, so a mistyped digit is caught before it is printed on an invoice. A BIC is checked
for its shape (ISO 9362).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership, Workspace
from rapport.billing.models import PaymentMethod
from rapport.core.errors import ApplicationError

# IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
BIC_RE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
PAYPAL_HOSTS = ("paypal.me", "www.paypal.me", "paypal.com", "www.paypal.com")


def iban_normalise(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def iban_check(value: str, *, field: str = "iban") -> str:
    """``value`` without spaces, upper-cased, if it is a valid IBAN; else an ApplicationError
    saying what is wrong (country, length or checksum)."""
    iban = iban_normalise(value)
    if not iban:
        raise ApplicationError(_("Enter the IBAN."), field=field)
    if not re.fullmatch(r"[A-Z0-9]+", iban):
        raise ApplicationError(_("An IBAN has only letters and digits."), field=field)
    country = iban[:2]
    length = IBAN_LENGTHS.get(country)
    if length is None:
        raise ApplicationError(
            _("“%(code)s” is not a country that uses IBANs.") % {"code": country}, field=field
        )
    if len(iban) != length:
        raise ApplicationError(
            _("An IBAN from %(code)s has %(length)s characters; this one has %(given)s.")
            % {"code": country, "length": length, "given": len(iban)},
            field=field,
        )
    if not iban[2:4].isdigit():
        raise ApplicationError(_("This IBAN's check digits are not digits."), field=field)
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(digits) % 97 != 1:
        raise ApplicationError(
            _("This IBAN's check digits do not match: a character is probably mistyped."),
            field=field,
        )
    return iban


def iban_display(iban: str) -> str:
    """Groups of four, as printed on cards and statements: "GR16 0110 1250 …"."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def bic_check(value: str, *, field: str = "bic") -> str:
    bic = re.sub(r"\s", "", value or "").upper()
    if bic and not BIC_RE.match(bic):
        raise ApplicationError(
            _("A BIC has 8 or 11 characters: bank (4 letters), country (2), place (2), branch."),
            field=field,
        )
    return bic


def _https_url(value: str, *, field: str) -> str:
    url = (value or "").strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or " " in url or len(url) > 200:
        raise ApplicationError(
            _("Enter the full payment link, starting with https://."), field=field
        )
    return url


def _paypal(url: str, email: str) -> tuple[str, str]:
    """A PayPal account is an email address or a paypal.me link (one of them, at least)."""
    email = (email or "").strip()
    url = (url or "").strip()
    if not email and not url:
        raise ApplicationError(_("Enter the PayPal email or a paypal.me link."), field="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(_("Enter a valid email address."), field="email") from None
    if url:
        url = _https_url(url, field="url")
        if urlsplit(url).hostname not in PAYPAL_HOSTS:
            raise ApplicationError(
                _("A PayPal link starts with https://paypal.me/ or https://www.paypal.com/."),
                field="url",
            )
    return url, email


def payment_methods_for(workspace: Workspace | int) -> QuerySet[PaymentMethod]:
    """The workspace's active methods, in their order (what invoices and the portal show)."""
    return PaymentMethod.objects.for_workspace(workspace).active().order_by("position", "id")


@transaction.atomic
def payment_method_save(
    *,
    membership: Membership,
    method: PaymentMethod | None = None,
    kind: str,
    label: str = "",
    account_holder: str = "",
    iban: str = "",
    bic: str = "",
    url: str = "",
    email: str = "",
    instructions: str = "",
) -> PaymentMethod:
    """Add a payment method to the workspace (``method`` None) or change one. Owner only.

    Each kind needs its own details: a bank transfer the holder and a valid IBAN (BIC
    optional), a card link an https URL, PayPal an email or a paypal.me link, an e-wallet a
    label and instructions; cash needs nothing. Details of other kinds are dropped.
    """
    require_owner(membership)
    if kind not in PaymentMethod.Kind.values:
        raise ApplicationError(_("Choose the kind of payment method."), field="kind")
    if method is not None and method.workspace_id != membership.workspace_id:
        raise ApplicationError(_("No such payment method."), code="not_found")
    label = (label or "").strip()
    instructions = (instructions or "").strip()
    account_holder = (account_holder or "").strip()
    if len(label) > 100:
        raise ApplicationError(_("At most 100 characters."), field="label")
    if len(instructions) > 2000:
        raise ApplicationError(_("At most 2000 characters."), field="instructions")
    values = {"iban": "", "bic": "", "url": "", "email": "", "account_holder": ""}
    if kind == PaymentMethod.Kind.BANK:
        if not account_holder:
            raise ApplicationError(_("Enter the account holder's name."), field="account_holder")
        if len(account_holder) > 200:
            raise ApplicationError(_("At most 200 characters."), field="account_holder")
        values.update(account_holder=account_holder, iban=iban_check(iban), bic=bic_check(bic))
    elif kind == PaymentMethod.Kind.CARD:
        values["url"] = _https_url(url, field="url")
    elif kind == PaymentMethod.Kind.PAYPAL:
        values["url"], values["email"] = _paypal(url, email)
    elif kind == PaymentMethod.Kind.EWALLET:
        if not label:
            raise ApplicationError(_("Name the e-wallet (for example Revolut)."), field="label")
        if not instructions:
            raise ApplicationError(
                _("Tell the client how to pay with it (number, tag or link)."),
                field="instructions",
            )
        if url:
            values["url"] = _https_url(url, field="url")
    label = label or str(PaymentMethod.Kind(kind).label)
    if method is None:
        position = PaymentMethod.objects.for_workspace(membership.workspace).count()
        method = PaymentMethod(workspace=membership.workspace, position=position)
    method.kind = kind
    method.label = label
    method.instructions = instructions
    for name, value in values.items():
        setattr(method, name, value)
    method.save()
    return method


@transaction.atomic
def payment_method_archive(*, membership: Membership, method: PaymentMethod) -> None:
    """Stop offering a method. Invoices already issued keep it in their PDF."""
    require_owner(membership)
    if method.workspace_id != membership.workspace_id:
        raise ApplicationError(_("No such payment method."), code="not_found")
    PaymentMethod.objects.filter(pk=method.pk).update(archived_at=timezone.now())
