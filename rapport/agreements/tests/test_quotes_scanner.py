# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""The quote scanners under a moving clock: one polite reminder before the validity ends,
then expiry with the price held (the commitment kept, never broken)."""

from __future__ import annotations

import datetime as dt

import time_machine

from rapport.agreements.models import Quote
from rapport.agreements.quotes.scanners import scan_quotes_expired, scan_quotes_expiring
from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    T0,
    TODAY,
    clock,
    sent,
    shop,
)
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.core.periodic import tick_run
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Project

# valid_until = 7 December 2026: the price holds until 23:59:59 in Athens (21:59:59 UTC).
END = dt.datetime(2026, 12, 7, 21, 59, 59, tzinfo=dt.UTC)


def test_one_reminder_three_days_before(
    alice: Persona, carol: Contact, shop: Project, clock: time_machine.Traveller
) -> None:
    quote = sent(alice, shop, carol)
    clock.move_to(END - dt.timedelta(days=3, minutes=1))
    assert scan_quotes_expiring(END - dt.timedelta(days=3, minutes=1)) == 0  # not yet
    now = END - dt.timedelta(days=3) + dt.timedelta(minutes=1)
    clock.move_to(now)
    assert scan_quotes_expiring(now) == 1
    assert scan_quotes_expiring(now) == 0
    tick_run(now + dt.timedelta(minutes=1))
    reminder = Notification.objects.get(kind="quote_expiring")
    assert reminder.contact == carol and reminder.language == "el"
    assert reminder.dedupe_key == f"quote_expiring:{quote.pk}"
    alert = Alert.objects.get(kind=Alert.Kind.QUOTE_EXPIRING)
    assert alert.subject_id == quote.pk
    assert alert.assignee == alice.user
    assert alert_text(alert) == f"Quote {quote.reference} (New shop) expires on 7 Dec 2026"


def test_no_reminder_for_a_decided_quote_or_one_sent_moments_ago(
    alice: Persona, carol: Contact, shop: Project, clock: time_machine.Traveller
) -> None:
    from rapport.agreements.quotes.services import quote_decline

    decided = sent(alice, shop, carol, valid_until=TODAY + dt.timedelta(days=10))
    quote_decline(quote=decided, contact=carol, feedback="No")
    fresh = sent(alice, shop, carol, valid_until=TODAY + dt.timedelta(days=1))
    assert scan_quotes_expiring(T0 + dt.timedelta(hours=1)) == 0  # sent an hour ago
    assert scan_quotes_expiring(T0 + dt.timedelta(hours=25)) == 1
    assert Notification.objects.get(kind="quote_expiring").subject_id == fresh.pk


def test_expiry_keeps_the_commitment_and_is_idempotent(
    alice: Persona, carol: Contact, shop: Project, clock: time_machine.Traveller
) -> None:
    quote = sent(alice, shop, carol)
    assert scan_quotes_expired(END) == 0  # the last second still holds
    after = END + dt.timedelta(seconds=2)
    clock.move_to(after)
    # The whole tick, with the ledger's broken-commitment scanner among the jobs.
    results = tick_run(after)
    assert results["scan_quotes_expired"] == 1
    quote.refresh_from_db()
    assert quote.status == Quote.Status.EXPIRED
    commitment = Commitment.objects.get(kind=Commitment.Kind.QUOTE)
    assert commitment.state == Commitment.State.KEPT
    assert not Alert.objects.filter(kind=Alert.Kind.COMMITMENT_BROKEN).exists()
    assert tick_run(after + dt.timedelta(minutes=1))["scan_quotes_expired"] == 0
    assert TimelineEvent.objects.filter(verb="quote.expired").count() == 1


def test_an_accepted_quote_does_not_expire(
    alice: Persona, carol: Contact, shop: Project, clock: time_machine.Traveller
) -> None:
    from rapport.agreements.quotes.services import quote_accept

    quote = sent(alice, shop, carol)
    quote_accept(quote=quote, contact=carol)
    tick_run(END + dt.timedelta(days=1))
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
