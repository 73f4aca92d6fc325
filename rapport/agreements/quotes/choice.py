"""The client's choice of a package when accepting a quote that offers several (ADR 0022)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rapport.agreements.models import PaymentStage, Quote, QuotePackage
from rapport.agreements.quotes.inputs import StageInput
from rapport.agreements.quotes.schedule import schedule_resolve
from rapport.core.errors import ApplicationError


def quote_package_choose(*, quote: Quote, package_id: int | None) -> QuotePackage | None:
    """Record the package chosen on ``quote`` (locked by the caller, inside its transaction).

    A quote with packages needs exactly one of them; one without accepts no choice. The
    quote's totals become the chosen package's (its lines plus the common ones) and the
    payment schedule, all shares of the total, is resolved again against that total, so
    the contract and the deposit invoice ask for the chosen price. Returns the package, or
    None for a quote without packages.
    """
    packages = list(quote.packages.all())
    if not packages:
        if package_id is not None:
            raise ApplicationError(
                _("This quote offers no packages to choose from."), field="package"
            )
        return None
    chosen = next((p for p in packages if p.pk == package_id), None)
    if chosen is None:
        raise ApplicationError(
            _("Choose one of the packages (%(names)s) to accept the quote.")
            % {"names": ", ".join(p.name for p in packages)},
            field="package",
        )
    quote.chosen_package = chosen
    quote.subtotal, quote.tax_total, quote.total = chosen.subtotal, chosen.tax_total, chosen.total
    stages = list(quote.stages.filter(change_request__isnull=True).order_by("position", "id"))
    resolved = schedule_resolve(
        [
            StageInput(
                kind=s.kind,
                label=s.label,
                percent=s.percent,
                amount=None if s.percent is not None else s.amount,
                milestone_id=s.milestone_id,
            )
            for s in stages
        ],
        project=quote.project,
        currency=quote.currency,
        total=chosen.total,
    )
    for stage, new in zip(stages, resolved, strict=True):
        stage.amount = new.amount
    PaymentStage.objects.bulk_update(stages, ["amount"])
    return chosen
