"""The order of alerts: what needs the provider now comes first (P14, P16, P17).

Groups, in order:

1. a client waiting: a new request, one close to its response target, a client's reply, mail
   from an unknown sender (perhaps a client), a change the client asked for;
2. a promise about to break or broken, and a message that could not be delivered: an update due
   or missed, a broken commitment, an urgent "deadline at risk" (found late, P16);
3. the rest: things to do that no one is waiting on yet (a quote accepted, a brief to read…);
4. forecasts: a deadline at risk while there is still time, a quote about to expire.

Within a group: urgent first, then the soonest due (no due time last), then the newest.
The alert centre, the dashboard's "To do today" and the daily digest share this order.
"""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from rapport.notifications.models import Alert

K = Alert.Kind
CLIENT_WAITING = 0
PROMISE_AT_STAKE = 1
REST = 2
FORECAST = 3

CLIENT_WAITING_KINDS = (
    K.REQUEST_RECEIVED,
    K.REQUEST_NEAR_TARGET,
    K.REPLY_RECEIVED,
    K.INBOUND_UNMATCHED,
    K.CHANGE_REQUESTED,
)
PROMISE_KINDS = (K.UPDATE_DUE, K.UPDATE_MISSED, K.COMMITMENT_BROKEN, K.DELIVERY_FAILED)
FORECAST_KINDS = (K.DEADLINE_AT_RISK, K.QUOTE_EXPIRING)


def group_of(kind: str, severity: int) -> int:
    """The group of an alert (for lists already in memory, e.g. the digest's sections)."""
    if kind in CLIENT_WAITING_KINDS:
        return CLIENT_WAITING
    if kind in PROMISE_KINDS or (kind == K.DEADLINE_AT_RISK and severity >= Alert.Severity.URGENT):
        return PROMISE_AT_STAKE
    if kind in FORECAST_KINDS:
        return FORECAST
    return REST


def ranked(queryset: QuerySet[Alert]) -> QuerySet[Alert]:
    """``queryset`` ordered as the provider should act: by group (above), then urgent first,
    the soonest due, the newest. One ORDER BY; no extra query."""
    group = Case(
        When(kind__in=CLIENT_WAITING_KINDS, then=Value(CLIENT_WAITING)),
        When(
            Q(kind__in=PROMISE_KINDS)
            | Q(kind=K.DEADLINE_AT_RISK, severity__gte=Alert.Severity.URGENT),
            then=Value(PROMISE_AT_STAKE),
        ),
        When(kind__in=FORECAST_KINDS, then=Value(FORECAST)),
        default=Value(REST),
        output_field=IntegerField(),
    )
    return queryset.alias(rank_group=group).order_by(
        "rank_group", "-severity", F("due_at").asc(nulls_last=True), "-created_at", "-id"
    )
