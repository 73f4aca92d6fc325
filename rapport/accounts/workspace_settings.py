"""Writes for the settings that drive every ETA, forecast, digest and client email: business
hours and days, public holidays, response target and alert threshold, delay-warning horizon,
default contact hours, each member's weekly capacity, and the sender of client email.

Only the owner may change them; members see them read-only. Each refusal names its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts.access import require_owner
from rapport.accounts.models import Membership, Workspace
from rapport.core.clock import holiday_countries
from rapport.core.errors import ApplicationError

RESPONSE_TARGET_MAX_HOURS = 240
DELAY_WARNING_MAX_DAYS = 60
CAPACITY_MAX_HOURS = 80
# Offered first in the holidays list: the countries Rapport's languages are spoken in (P29).
HOLIDAY_COUNTRIES_FIRST = ("GR", "RO", "ID")


@dataclass(frozen=True, slots=True)
class WorkingTime:
    """The workspace's working time and alert settings, as the owner sets them."""

    business_hours_start: dt.time
    business_hours_end: dt.time
    business_days: list[int]
    holiday_country: str
    response_target_hours: int
    response_alert_percent: int
    delay_warning_days: int
    default_contact_hours_start: dt.time
    default_contact_hours_end: dt.time


def _in_range(value: int, low: int, high: int, *, field: str) -> int:
    if not low <= value <= high:
        raise ApplicationError(
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return value


def _check(settings: WorkingTime) -> tuple[str, str]:
    """(business days as stored, holiday country) of valid ``settings``; else the refusal."""
    if settings.business_hours_end <= settings.business_hours_start:
        raise ApplicationError(
            _("Business hours must end after they start."), field="business_hours_end"
        )
    days = sorted(set(settings.business_days))
    if not days:
        raise ApplicationError(_("Choose at least one business day."), field="business_days")
    if any(not 0 <= d <= 6 for d in days):
        raise ApplicationError(_("Unknown day of the week."), field="business_days")
    country = settings.holiday_country.strip().upper()
    if country and country not in holiday_countries():
        raise ApplicationError(
            _("“%(code)s” is not a country the holiday calendar knows.") % {"code": country},
            field="holiday_country",
        )
    _in_range(
        settings.response_target_hours, 1, RESPONSE_TARGET_MAX_HOURS, field="response_target_hours"
    )
    _in_range(settings.response_alert_percent, 1, 100, field="response_alert_percent")
    _in_range(settings.delay_warning_days, 0, DELAY_WARNING_MAX_DAYS, field="delay_warning_days")
    if settings.default_contact_hours_start == settings.default_contact_hours_end:
        raise ApplicationError(
            _("Contact hours must not start and end at the same time."),
            field="default_contact_hours_end",
        )
    return ",".join(str(d) for d in days), country


@transaction.atomic
def workspace_working_time_update(*, membership: Membership, settings: WorkingTime) -> Workspace:
    """Save the workspace's working time (owner only). Requests received from now on get
    their ETA from it; forecasts, warnings and digests read it at their next run. Default
    contact hours apply to contacts added from now on (contact hours may cross midnight)."""
    require_owner(membership)
    days, country = _check(settings)
    workspace = membership.workspace
    workspace.business_hours_start = settings.business_hours_start
    workspace.business_hours_end = settings.business_hours_end
    workspace.business_days = days
    workspace.holiday_country = country
    workspace.response_target_hours = settings.response_target_hours
    workspace.response_alert_percent = settings.response_alert_percent
    workspace.delay_warning_days = settings.delay_warning_days
    workspace.default_contact_hours_start = settings.default_contact_hours_start
    workspace.default_contact_hours_end = settings.default_contact_hours_end
    workspace.save()
    return workspace


@transaction.atomic
def workspace_sender_update(
    *, membership: Membership, sender_name: str, sender_email: str
) -> Workspace:
    """Set the name and address client email comes from (owner only). Blank address: the
    server's address, as "<name> via Rapport" (the safe default, docs/email.md)."""
    require_owner(membership)
    name = sender_name.strip()
    if len(name) > 100:
        raise ApplicationError(_("At most 100 characters."), field="sender_name")
    # A header value: no line breaks (header injection), no brackets that would read as
    # an address of their own.
    if any(c in name for c in '\r\n<>"') or any(ord(c) < 32 for c in name):
        raise ApplicationError(
            _("A sender name cannot contain line breaks, quotes or angle brackets."),
            field="sender_name",
        )
    address = sender_email.strip().lower()
    if address:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ApplicationError(_("Enter a valid email address."), field="sender_email") from exc
    workspace = membership.workspace
    workspace.sender_name = name
    workspace.sender_email = address
    workspace.save(update_fields=["sender_name", "sender_email", "updated_at"])
    return workspace


@transaction.atomic
def member_capacity_set(*, membership: Membership, member_id: int, hours: int) -> Membership:
    """Set a member's weekly capacity for client work (owner only; 0 to 80 hours). Forecasts
    and delay notices of the milestones they own read it (P03, P16)."""
    require_owner(membership)
    target = Membership.objects.filter(workspace=membership.workspace, pk=member_id).first()
    if target is None:
        raise ApplicationError(_("No such member."), code="not_found")
    target.weekly_capacity_hours = _in_range(
        hours, 0, CAPACITY_MAX_HOURS, field="weekly_capacity_hours"
    )
    target.save(update_fields=["weekly_capacity_hours", "updated_at"])
    return target


def holiday_country_choices(names: dict[str, str]) -> list[tuple[str, str]]:
    """Every code the holiday calendar knows, GR, RO and ID first, named by ``names`` (a
    code -> name mapping in the viewer's language) when it has the code."""
    known = holiday_countries()
    first = [c for c in HOLIDAY_COUNTRIES_FIRST if c in known]
    rest = sorted((c for c in known if c not in first), key=lambda c: names.get(c, c))
    return [(c, f"{names.get(c, c)} ({c})") for c in [*first, *rest]]


@transaction.atomic
def workspace_checklist_hide(*, membership: Membership) -> Workspace:
    """Put the dashboard's first-day checklist away for good (owner only): the owner has
    done it their own way, or does not need it. Hiding twice keeps the first moment."""
    require_owner(membership)
    workspace = Workspace.objects.select_for_update().get(pk=membership.workspace_id)
    if workspace.checklist_hidden_at is None:
        workspace.checklist_hidden_at = timezone.now()
        workspace.save(update_fields=["checklist_hidden_at", "updated_at"])
    membership.workspace = workspace
    return workspace
