"""The draft greeting for an important day, written in the contact's language (P31, P29).

The provider reads it on the greeting page, may change every word, and sends it; the outbox
wraps it in the contact's salutation and the workspace's signature. A contact's age is never
written: a birthday greeting wishes well without counting years (ADR 0036).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from rapport.clients.models import Contact, ImportantDate


def greeting_draft(*, contact: Contact, kind: str, years: int | None = None) -> str:
    """The body of the greeting (no salutation, no signature) in the contact's language."""
    with translation.override(contact.effective_language):
        if kind == ImportantDate.Kind.BIRTHDAY:
            return _(
                "Happy birthday! I wish you a wonderful year ahead, good health and every "
                "success in what you set out to do."
            )
        if kind == ImportantDate.Kind.NAME_DAY:
            return _("Happy name day! I wish you health, joy and many happy returns of the day.")
        if kind == ImportantDate.Kind.ANNIVERSARY:
            company = contact.client.name
            if years:
                return _(
                    "Congratulations on %(years)s years of %(company)s! It is a pleasure to "
                    "work with you, and I wish you many more successful years."
                ) % {"years": years, "company": company}
            return _(
                "Congratulations on the anniversary of %(company)s! It is a pleasure to work "
                "with you, and I wish you many more successful years."
            ) % {"company": company}
        return _("Warm wishes on this special day, from all of us.")
