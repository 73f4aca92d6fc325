"""The payment schedule of a quote, resolved to amounts that pay the total exactly (P07, P09)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import gettext as _

from rapport.agreements.models import PaymentStage
from rapport.agreements.quotes.inputs import StageInput
from rapport.core.errors import ApplicationError
from rapport.core.money import minor_unit, parse_amount, parse_rate, to_minor
from rapport.core.templatetags.rapport import babel_locale
from rapport.projects.models import Milestone, Project

MAX_STAGES = 20
HUNDRED = Decimal(100)


def money_text(amount: Decimal, currency: str) -> str:
    """An amount as the reader writes it ("1.234,50 €" in Greek), for messages."""
    return format_currency(amount, currency, locale=babel_locale())


def blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def named(exc: ApplicationError, label: str, field_name: str) -> ApplicationError:
    """The same refusal, saying which row it is about ("Line 2, unit price: …")."""
    return ApplicationError(f"{label}: {exc.message}", field=field_name)


def schedule_resolve(
    stages: list[StageInput], *, project: Project, currency: str, total: Decimal
) -> list[PaymentStage]:
    """Resolve the schedule to amounts; it must add up exactly to ``total``.

    Percent stages are rounded to the minor unit; the rounding remainder goes to the last
    stage if it is a percent stage (else to the last percent stage), so that 3 x 33.33% +
    0.01% of 100.01 € pays exactly 100.01 €, never a cent more or less.
    """
    if not stages:
        raise ApplicationError(_("Add the payment schedule: at least one payment."), field="stages")
    if len(stages) > MAX_STAGES:
        raise ApplicationError(_("At most %(max)s payments.") % {"max": MAX_STAGES}, field="stages")
    allowed = {PaymentStage.Kind.DEPOSIT, PaymentStage.Kind.MILESTONE, PaymentStage.Kind.FINAL}
    milestone_ids = {s.milestone_id for s in stages if s.milestone_id is not None}
    milestones = {
        m.pk: m
        for m in Milestone.objects.filter(
            pk__in=milestone_ids, project=project, archived_at__isnull=True
        )
    }
    resolved: list[PaymentStage] = []
    exact_sum = Decimal(0)
    kinds_seen: list[str] = []
    for i, stage in enumerate(stages):
        ref = stage.ref or f"stages-{i}"
        label = _("Payment %(n)s") % {"n": i + 1}
        if stage.kind not in allowed:
            raise ApplicationError(
                _("%(label)s: choose deposit, milestone payment or final payment.")
                % {"label": label},
                field=f"{ref}-kind",
            )
        if stage.kind in kinds_seen and stage.kind != PaymentStage.Kind.MILESTONE:
            raise ApplicationError(
                _("%(label)s: a schedule has one %(kind)s at most.")
                % {"label": label, "kind": PaymentStage.Kind(stage.kind).label.lower()},
                field=f"{ref}-kind",
            )
        kinds_seen.append(stage.kind)
        milestone = None
        if stage.kind == PaymentStage.Kind.MILESTONE:
            if stage.milestone_id is None:
                raise ApplicationError(
                    _("%(label)s: choose the milestone it is paid on.") % {"label": label},
                    field=f"{ref}-milestone",
                )
            milestone = milestones.get(stage.milestone_id)
            if milestone is None:
                raise ApplicationError(
                    _("%(label)s: that milestone is not part of this project.") % {"label": label},
                    field=f"{ref}-milestone",
                )
        elif stage.milestone_id is not None:
            raise ApplicationError(
                _("%(label)s: only a milestone payment is tied to a milestone.") % {"label": label},
                field=f"{ref}-milestone",
            )
        has_percent, has_amount = not blank(stage.percent), not blank(stage.amount)
        if has_percent == has_amount:
            raise ApplicationError(
                _("%(label)s: give either a percentage of the total or an amount.")
                % {"label": label},
                field=f"{ref}-percent",
            )
        percent = None
        if has_percent:
            try:
                percent = parse_rate(stage.percent, field=f"{ref}-percent")
            except ApplicationError as exc:
                raise named(exc, label, f"{ref}-percent") from None
            if percent == 0:
                raise ApplicationError(
                    _("%(label)s: a payment is more than 0%%.") % {"label": label},
                    field=f"{ref}-percent",
                )
            exact = total * percent / HUNDRED
            amount = to_minor(exact, currency)
        else:
            try:
                amount = parse_amount(
                    stage.amount, field=f"{ref}-amount", currency=currency, allow_zero=False
                )
            except ApplicationError as exc:
                raise named(exc, label, f"{ref}-amount") from None
            exact = amount
        exact_sum += exact
        resolved.append(
            PaymentStage(
                position=i,
                kind=stage.kind,
                label=(stage.label or "").strip()[:200],
                percent=percent,
                amount=amount,
                milestone=milestone,
            )
        )
    if exact_sum != total:
        shown = sum((s.amount for s in resolved), Decimal(0))
        raise ApplicationError(
            _("The payment schedule adds up to %(sum)s, the total is %(total)s.")
            % {"sum": money_text(shown, currency), "total": money_text(total, currency)},
            field="stages",
        )
    remainder = total - sum((s.amount for s in resolved), Decimal(0))
    if remainder:
        percent_stages = [s for s in resolved if s.percent is not None]
        absorber = resolved[-1] if resolved[-1].percent is not None else percent_stages[-1]
        absorber.amount += remainder
    for i, resolved_stage in enumerate(resolved):
        if resolved_stage.amount <= 0:
            raise ApplicationError(
                _("Payment %(n)s: %(percent)s%% of the total is less than %(least)s.")
                % {
                    "n": i + 1,
                    "percent": resolved_stage.percent,
                    "least": money_text(Decimal(1).scaleb(-minor_unit(currency)), currency),
                },
                field=f"{stages[i].ref or f'stages-{i}'}-percent",
            )
    return resolved
