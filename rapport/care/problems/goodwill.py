"""Goodwill time against our own mistakes (P35, P21): the hours of the fix given free."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.care.models import Problem
from rapport.core.errors import ApplicationError
from rapport.core.money import parse_amount
from rapport.core.timeline import timeline_record
from rapport.projects.models import Deliverable

HOURS_MAX = Decimal("9999")
NOTE_MAX = 500


def _hours(value: Decimal | str) -> Decimal:
    try:
        hours = (
            value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
        )
    except InvalidOperation:
        raise ApplicationError(_("Enter the hours, such as 2.5."), field="goodwill_hours") from None
    if not hours.is_finite():
        raise ApplicationError(_("Enter the hours, such as 2.5."), field="goodwill_hours")
    if hours <= 0:
        raise ApplicationError(_("Enter more than zero hours."), field="goodwill_hours")
    if hours > HOURS_MAX or hours != hours.quantize(Decimal("0.01")):
        raise ApplicationError(
            _("Enter at most %(max)s hours, to the hundredth.") % {"max": HOURS_MAX},
            field="goodwill_hours",
        )
    return hours


@transaction.atomic
def problem_goodwill_record(
    *,
    problem: Problem,
    actor: User | None,
    hours: Decimal | str,
    amount: Decimal | str | None = None,
    note: str = "",
    tell: bool = False,
) -> Problem:
    """Record the ``hours`` given free against ``problem``, our own mistake (P35): not
    billed, shown on the problem and summed on the client's page. ``amount`` is their value
    in the problem's currency; left empty it is the hours at the project's hourly rate when
    the project has one. With ``tell`` the resolution report says the hours were not
    charged, so it must come before the report is sent. Recording again corrects the
    figures. Refusals name their field (``goodwill_hours``, ``goodwill_amount``,
    ``goodwill_note``, ``goodwill_tell``); nothing is written when one is refused."""
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("project").get(pk=problem.pk)
    )
    if problem.cause != Problem.Cause.OURS:
        raise ApplicationError(
            _("Goodwill time is given against our own mistakes only."), field="goodwill_hours"
        )
    value = _hours(hours)
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        # The project's hourly rate: set on its deliverables from the accepted quote's policy.
        rate = Deliverable.objects.filter(milestone__project_id=problem.project_id).aggregate(
            rate=Max("revision_hourly_rate")
        )["rate"]
        money = (value * rate).quantize(Decimal("0.01")) if rate else None
    else:
        money = parse_amount(amount, field="goodwill_amount", currency=problem.currency)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ApplicationError(
            _("Keep it under %(count)s characters.") % {"count": NOTE_MAX}, field="goodwill_note"
        )
    if tell and problem.state == Problem.State.RESOLVED:
        raise ApplicationError(
            _("The resolution report has been sent already."), field="goodwill_tell"
        )
    problem.goodwill_hours = value
    problem.goodwill_amount = money
    problem.goodwill_note = note
    problem.goodwill_tell = tell
    problem.save(
        update_fields=[
            "goodwill_hours",
            "goodwill_amount",
            "goodwill_note",
            "goodwill_tell",
            "updated_at",
        ]
    )
    timeline_record(
        client=problem.client,
        verb="problem.goodwill",
        actor=actor,
        subject=problem,
        data={"title": problem.title, "hours": str(value)},
    )
    return problem
