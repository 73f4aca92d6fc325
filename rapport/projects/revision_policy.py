"""The revision policy of deliverables (P08): how many rounds of changes are included, and the
hourly rate of the later ones; and the rounds counted on the project page. The rounds themselves
(asked for, estimated, accepted, billed) are handled in ``billing.revisions``."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import ApplicationError
from rapport.core.money import currency_check, parse_amount
from rapport.projects.models import Deliverable, Project, RevisionRound

MAX_FREE_ROUNDS = 50


def revision_policy_check(
    *, free_rounds: object, rate: object, currency: str
) -> tuple[int, Decimal]:
    """(free rounds, hourly rate) read and checked, each error naming its field."""
    try:
        rounds = int(str(free_rounds).strip())
    except ValueError:
        raise ApplicationError(
            _("Enter a whole number of rounds."), field="revision_free_rounds"
        ) from None
    if not 0 <= rounds <= MAX_FREE_ROUNDS:
        raise ApplicationError(
            _("Between 0 and %(n)s rounds.") % {"n": MAX_FREE_ROUNDS}, field="revision_free_rounds"
        )
    amount = parse_amount(rate, field="revision_hourly_rate", currency=currency_check(currency))
    return rounds, amount


@transaction.atomic
def deliverables_apply_revision_policy(
    *, project: Project, free_rounds: int | str, rate: Decimal | str
) -> int:
    """Set the revision policy of an accepted quote on every deliverable of ``project``
    (N free rounds each, then ``rate`` per hour in the project's currency). Returns how
    many deliverables changed. Called when a quote is accepted; each deliverable can still
    be edited on its own form afterwards."""
    rounds, amount = revision_policy_check(
        free_rounds=free_rounds, rate=rate, currency=project.currency
    )
    return (
        Deliverable.objects.filter(milestone__project=project, workspace_id=project.workspace_id)
        .exclude(revision_free_rounds=rounds, revision_hourly_rate=amount)
        .update(revision_free_rounds=rounds, revision_hourly_rate=amount, updated_at=timezone.now())
    )


def with_revision_counts(deliverables: QuerySet[Deliverable]) -> QuerySet[Deliverable]:
    """Annotate ``rounds_used`` (rounds not declined) and ``rounds_awaiting`` (billable
    rounds waiting for the client) without a query per deliverable."""
    rounds = (
        RevisionRound.objects.filter(deliverable_id=OuterRef("pk"))
        .order_by()
        .values("deliverable_id")
    )
    used = rounds.exclude(status=RevisionRound.Status.DECLINED)
    awaiting = rounds.filter(status=RevisionRound.Status.AWAITING_CLIENT)
    return deliverables.annotate(
        rounds_used=Coalesce(
            Subquery(used.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        rounds_awaiting=Coalesce(
            Subquery(awaiting.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
    )
