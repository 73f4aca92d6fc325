"""What the de-escalation page advises (P24): six steps for the provider, in their language,
and the calm boundary message for a hostile client, in the contact's language."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.clients.models import Contact
from rapport.core.texts import TextRef, system_text


@dataclass(frozen=True)
class Step:
    title: str
    how: str


# The order matters: listening comes before any answer, one next step ends it (P24).
CHECKLIST = (
    (
        gettext_lazy("Listen"),
        gettext_lazy(
            "Read the whole message again and let it settle before you answer; note what they "
            "actually need."
        ),
    ),
    (
        gettext_lazy("Acknowledge"),
        gettext_lazy(
            "Say that you understand why they are upset, without agreeing to what is not true."
        ),
    ),
    (
        gettext_lazy("Restate"),
        gettext_lazy("Put their concern in your own words and ask whether you understood it."),
    ),
    (
        gettext_lazy("No argument in writing"),
        gettext_lazy(
            "Do not defend yourself or argue by email: written arguments escalate and stay."
        ),
    ),
    (
        gettext_lazy("Propose a call"),
        gettext_lazy("Offer a short call at a concrete time; a voice calms what text inflames."),
    ),
    (
        gettext_lazy("One next step"),
        gettext_lazy("End with one concrete next step and its date, then keep it."),
    ),
)


def checklist() -> list[Step]:
    """The six steps in the active language (the reader's)."""
    return [Step(title=str(title), how=str(how)) for title, how in CHECKLIST]


# The call is proposed for the contact's next working morning: soon, and at a civil hour.
CALL_AT = time(10, 0)


def call_proposed(contact: Contact, now: datetime | None = None) -> datetime:
    """10:00 in the contact's time zone on the next weekday after today."""
    zone = zoneinfo.ZoneInfo(contact.effective_timezone or "UTC")
    day = timezone.localtime(now or timezone.now(), zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, CALL_AT, tzinfo=zone)


def boundary_message(
    *,
    contact: Contact,
    sender: str,
    subject: TextRef | str = "",
    answer_by: datetime | None = None,
    now: datetime | None = None,
) -> str:
    """The boundary message a provider may send a hostile client (P24), written in the
    contact's language and time zone: the concern is taken seriously and the work goes on,
    the tone cannot, a call at a concrete time, one next step. ``subject`` names what they
    wrote about; ``answer_by`` (the request's target, when still ahead) is the next step's
    date. ``subject`` is as the request keeps it (``subject_data``): a system-named one is
    written in the contact's language. The provider reads and edits it before anything is sent."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(contact.effective_timezone or "UTC")
    with translation.override(contact.effective_language), timezone.override(zone):
        call = formats.date_format(
            timezone.localtime(call_proposed(contact, now)), "DATETIME_FORMAT"
        )
        if isinstance(subject, dict):
            # A subject the system gave ("(no subject)" is no subject at all).
            subject = "" if subject.get("text") == "request.no_subject" else system_text(subject)
        lines = [_("Dear %(name)s,") % {"name": contact.name}, ""]
        if subject:
            lines.append(
                _(
                    "Thank you for your message about “%(subject)s”. We take your concern "
                    "seriously, and we will keep working on it until it is settled."
                )
                % {"subject": subject}
            )
        else:
            lines.append(
                _(
                    "Thank you for your message. We take your concern seriously, and we will "
                    "keep working on it until it is settled."
                )
            )
        lines += [
            "",
            _(
                "We want to solve this together with you, but we cannot continue the "
                "conversation in this tone. Let us keep to the facts, so that we can help."
            ),
            "",
            _(
                "I suggest we talk by phone on %(when)s, your time, or at another time that "
                "suits you: just reply with it."
            )
            % {"when": call},
            "",
        ]
        if answer_by is not None and answer_by > now:
            when = formats.date_format(timezone.localtime(answer_by), "DATETIME_FORMAT")
            lines.append(
                _("As a next step, you will have our written answer by %(when)s.") % {"when": when}
            )
        else:
            lines.append(
                _(
                    "As a next step, after our call I will send you a short written summary of "
                    "what we agreed."
                )
            )
        lines += ["", _("Kind regards,"), sender]
    return "\n".join(lines)
