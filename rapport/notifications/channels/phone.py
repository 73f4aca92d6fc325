"""Phone numbers for SMS and WhatsApp: international format, checked with phonenumbers."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError


def normalise_phone(value: str, *, field: str) -> str:
    """Return the number in E.164 ("+306912345678") or refuse it naming ``field``."""
    text = value.strip()
    if not text.startswith("+"):
        raise ApplicationError(
            _("Write the number in international form, starting with + and the country code."),
            field=field,
        )
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise ApplicationError(_("This is not a phone number."), field=field) from exc
    if not phonenumbers.is_valid_number(number):
        raise ApplicationError(_("This phone number does not exist."), field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
