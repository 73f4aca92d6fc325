# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""Quote services: totals and rounding per currency, validation, sending, the client's
decision, new versions (P06, P07)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from rapport.agreements.models import Document, PaymentStage, Quote
from rapport.agreements.quotes import selectors as quote_selectors
from rapport.agreements.quotes import services as quotes
from rapport.agreements.quotes.inputs import LineInput, StageInput
from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    T0,
    TODAY,
    brasov,
    catalogue,
    clock,
    draft,
    hourly,
    ioana,
    quote_input,
    sent,
    shop,
)
from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Milestone, Project
from rapport.projects.services import milestone_create


def refused(call: Callable[[], object], field: str) -> str:
    with pytest.raises(ApplicationError) as info:
        call()
    assert info.value.field == field, info.value.message
    return info.value.message


# --- Totals and rounding ----------------------------------------------------------------------


def test_totals_add_the_rounded_lines_in_eur(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = draft(
        alice,
        shop,
        carol,
        lines=[
            LineInput(description="Layouts", quantity="3", unit_price="33.33", tax_rate="19"),
            hourly("Meetings", "2.5", "45.55", tax="24"),
        ],
        stages=[StageInput(kind=PaymentStage.Kind.FINAL, percent="100")],
    )
    lines = list(quote.lines.all())
    # 99.99 x 19% = 18.9981 -> 19.00; 113.875 -> 113.88, x 24% = 27.3312 -> 27.33
    assert [(line.net, line.tax) for line in lines] == [
        (Decimal("99.99"), Decimal("19.00")),
        (Decimal("113.88"), Decimal("27.33")),
    ]
    assert quote.subtotal == Decimal("213.87")
    assert quote.tax_total == Decimal("46.33")
    assert quote.total == Decimal("260.20")
    assert quote.stages.get().amount == Decimal("260.20")


def test_jpy_has_no_minor_unit(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = draft(
        alice,
        shop,
        carol,
        currency="JPY",
        revision_hourly_rate="5000",
        lines=[LineInput(description="Site", quantity="1.5", unit_price="1234", tax_rate="10")],
        stages=[StageInput(kind=PaymentStage.Kind.FINAL, percent="100")],
    )
    line = quote.lines.get()
    assert (line.net, line.tax, quote.total) == (Decimal(1851), Decimal(185), Decimal(2036))
    message = refused(
        lambda: draft(
            alice,
            shop,
            carol,
            currency="JPY",
            revision_hourly_rate="5000",
            lines=[LineInput(description="Site", unit_price="12.5")],
        ),
        "lines-0-unit_price",
    )
    assert "JPY amounts have at most 0 decimals" in message
    assert "Line 1, unit price" in message


def test_kwd_rounds_to_three_decimals(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = draft(
        alice,
        shop,
        carol,
        currency="KWD",
        lines=[LineInput(description="Site", quantity="3", unit_price="10.125", tax_rate="5")],
        stages=[
            StageInput(kind=PaymentStage.Kind.DEPOSIT, percent="30"),
            StageInput(kind=PaymentStage.Kind.FINAL, percent="70"),
        ],
    )
    assert quote.total == Decimal("31.894")  # 30.375 + 1.51875 -> 1.519
    assert [s.amount for s in quote.stages.all()] == [Decimal("9.568"), Decimal("22.326")]


def test_last_percent_stage_absorbs_the_rounding_remainder(
    alice: Persona, carol: Contact, shop: Project, design_ms: Milestone
) -> None:
    quote = draft(
        alice,
        shop,
        carol,
        lines=[LineInput(description="Site", unit_price="100.01")],
        stages=[
            StageInput(kind=PaymentStage.Kind.DEPOSIT, percent="33.33"),
            StageInput(
                kind=PaymentStage.Kind.MILESTONE, percent="33.33", milestone_id=design_ms.pk
            ),
            StageInput(kind=PaymentStage.Kind.FINAL, percent="33.34"),
        ],
    )
    amounts = [s.amount for s in quote.stages.all()]
    # 33.333333 -> 33.33 twice; 33.343334 -> 33.34, plus the cent nobody else took.
    assert amounts == [Decimal("33.33"), Decimal("33.33"), Decimal("33.35")]
    assert sum(amounts) == quote.total


def test_amount_and_percent_stages_mix(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = draft(
        alice,
        shop,
        carol,
        lines=[LineInput(description="Site", unit_price="1000", tax_rate="24")],
        stages=[
            StageInput(kind=PaymentStage.Kind.DEPOSIT, amount="620"),
            StageInput(kind=PaymentStage.Kind.FINAL, percent="50"),
        ],
    )
    assert [s.amount for s in quote.stages.all()] == [Decimal("620.00"), Decimal("620.00")]


# --- Validation -------------------------------------------------------------------------------


@pytest.fixture
def design_ms(shop: Project, alice: Persona) -> Milestone:
    return milestone_create(
        project=shop, actor=alice.user, title="Designs", due_date=TODAY + dt.timedelta(days=20)
    )


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"currency": "XYZ"}, "currency", "not a currency we know"),
        ({"title": " "}, "title", "title"),
        ({"lines": []}, "lines", "at least one line"),
        (
            {"lines": [LineInput(description="Site", unit_price="-5")]},
            "lines-0-unit_price",
            "cannot be negative",
        ),
        (
            {"lines": [LineInput(description="Site", unit_price="1e13")]},
            "lines-0-unit_price",
            "too large",
        ),
        (
            {"lines": [LineInput(description="Site", quantity="1000000", unit_price="1")]},
            "lines-0-quantity",
            "too large",
        ),
        (
            {"lines": [LineInput(description="Site", quantity="-1", unit_price="1")]},
            "lines-0-quantity",
            "more than zero",
        ),
        (
            {"lines": [LineInput(description="Site", unit_price="10", tax_rate="101")]},
            "lines-0-tax_rate",
            "between 0 and 100",
        ),
        (
            {"lines": [LineInput(description="", unit_price="10")]},
            "lines-0-description",
            "describe the work",
        ),
        (
            {"lines": [LineInput(description="Site", unit_price="abc")]},
            "lines-0-unit_price",
            "Enter an amount",
        ),
        (
            {"lines": [LineInput(description="Site", unit_price="0")]},
            "lines",
            "more than zero",
        ),
        ({"valid_until": TODAY - dt.timedelta(days=1)}, "valid_until", "in the past"),
        ({"valid_until": TODAY + dt.timedelta(days=400)}, "valid_until", "more than a year"),
        ({"stages": []}, "stages", "at least one payment"),
        (
            {"stages": [StageInput(kind=PaymentStage.Kind.FINAL, percent="50", amount="10")]},
            "stages-0-percent",
            "either a percentage",
        ),
        (
            {"stages": [StageInput(kind=PaymentStage.Kind.FINAL, percent="120")]},
            "stages-0-percent",
            "between 0 and 100",
        ),
        (
            {"stages": [StageInput(kind="bonus", percent="100")]},
            "stages-0-kind",
            "choose deposit",
        ),
        (
            {
                "stages": [
                    StageInput(kind=PaymentStage.Kind.FINAL, percent="50"),
                    StageInput(kind=PaymentStage.Kind.FINAL, percent="50"),
                ]
            },
            "stages-1-kind",
            "one final payment at most",
        ),
        (
            {"stages": [StageInput(kind=PaymentStage.Kind.MILESTONE, percent="100")]},
            "stages-0-milestone",
            "choose the milestone",
        ),
        ({"revision_free_rounds": "many"}, "revision_free_rounds", "whole number"),
        ({"revision_hourly_rate": "-1"}, "revision_hourly_rate", "negative"),
        ({"language": "fr"}, "language", "language"),
        ({"contact": None}, "contact", "contact"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    alice: Persona,
    carol: Contact,
    shop: Project,
    overrides: dict[str, Any],
    field: str,
    words: str,
) -> None:
    events = TimelineEvent.objects.count()
    message = refused(lambda: draft(alice, shop, carol, **overrides), field)
    assert words.lower() in message.lower()
    assert not Quote.objects.exists()
    assert not PaymentStage.objects.exists()
    assert TimelineEvent.objects.count() == events


def test_schedule_that_does_not_add_up_says_both_figures(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    message = refused(
        lambda: draft(
            alice,
            shop,
            carol,
            stages=[
                StageInput(kind=PaymentStage.Kind.DEPOSIT, percent="30"),
                StageInput(kind=PaymentStage.Kind.FINAL, amount="500"),
            ],
        ),
        "stages",
    )
    assert message == "The payment schedule adds up to €872.00, the total is €1,240.00."
    # Percentages that round to the total but do not make 100% are refused too.
    message = refused(
        lambda: draft(
            alice,
            shop,
            carol,
            stages=[StageInput(kind=PaymentStage.Kind.FINAL, percent="99.99")],
        ),
        "stages",
    )
    assert message == "The payment schedule adds up to €1,239.88, the total is €1,240.00."


def test_milestone_stage_of_another_project_is_refused(
    alice: Persona, carol: Contact, shop: Project, design_ms: Milestone, website: Project
) -> None:
    other = milestone_create(
        project=website, actor=alice.user, title="Other", due_date=TODAY + dt.timedelta(days=3)
    )
    message = refused(
        lambda: draft(
            alice,
            shop,
            carol,
            stages=[
                StageInput(kind=PaymentStage.Kind.MILESTONE, percent="50", milestone_id=other.pk),
                StageInput(kind=PaymentStage.Kind.FINAL, percent="50"),
            ],
        ),
        "stages-0-milestone",
    )
    assert "not part of this project" in message
    quote = draft(
        alice,
        shop,
        carol,
        stages=[
            StageInput(kind=PaymentStage.Kind.MILESTONE, percent="50", milestone_id=design_ms.pk),
            StageInput(kind=PaymentStage.Kind.FINAL, percent="50"),
        ],
    )
    stage = quote.stages.first()
    assert stage is not None and stage.milestone == design_ms


def test_contact_of_another_client_is_refused(
    alice: Persona, shop: Project, ioana: Contact
) -> None:
    refused(lambda: draft(alice, shop, ioana), "contact")


def test_series_numbers_per_workspace_and_defaults(
    alice: Persona, carol: Contact, shop: Project, design_ms: Milestone
) -> None:
    first = draft(alice, shop, carol)
    second = draft(alice, shop, carol)
    assert (first.series, second.series, second.version) == (1, 2, 1)
    assert str(second.reference) == "Q-2"
    defaults = quote_selectors.quote_defaults(project=shop, today=TODAY)
    assert defaults["currency"] == "EUR"
    assert defaults["language"] == "el"
    assert defaults["contact"] == carol
    assert defaults["out_of_scope"] == "Hosting\nCopywriting"


def test_only_a_draft_is_edited(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = draft(alice, shop, carol)
    updated = quotes.quote_update(
        quote=quote,
        actor=alice.user,
        data=quote_input(carol, lines=[LineInput(description="Site", unit_price="2000")]),
    )
    assert updated.total == Decimal("2000.00")
    assert quote.lines.get().description == "Site"
    quotes.quote_send(quote=quote, actor=alice.user)
    refused(
        lambda: quotes.quote_update(quote=quote, actor=alice.user, data=quote_input(carol)),
        "status",
    )


# --- Sending ----------------------------------------------------------------------------------


def test_send_queues_the_message_opens_the_commitment_and_records_it(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    assert quote.status == Quote.Status.SENT
    assert quote.sent_at == T0
    note = Notification.objects.get(kind="quote_sent")
    assert note.contact == carol
    assert note.language == "el"
    assert f"?next={reverse('portal:quote', args=[quote.pk])}" in note.body
    assert reverse("portal:open", args=["x"])[:-2] in note.body
    commitment = Commitment.objects.get(kind=Commitment.Kind.QUOTE)
    assert commitment.state == Commitment.State.OPEN
    # The end of 7 December 2026 in Athens (UTC+2).
    assert commitment.due_at == dt.datetime(2026, 12, 7, 21, 59, 59, tzinfo=dt.UTC)
    assert commitment.project == shop
    assert TimelineEvent.objects.filter(verb="quote.sent", subject_id=quote.pk).exists()
    refused(lambda: quotes.quote_send(quote=quote, actor=alice.user), "status")


def test_a_draft_whose_date_passed_is_not_sent(
    alice: Persona, carol: Contact, shop: Project, clock: time_machine.Traveller
) -> None:
    quote = draft(alice, shop, carol)
    clock.move_to(T0 + dt.timedelta(days=20))
    refused(lambda: quotes.quote_send(quote=quote, actor=alice.user), "valid_until")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT
    assert not Notification.objects.filter(kind="quote_sent").exists()


# --- The client's decision --------------------------------------------------------------------


def test_decline_keeps_the_commitment_and_tells_the_provider(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    refused(lambda: quotes.quote_decline(quote=quote, contact=carol, feedback=" "), "feedback")
    quotes.quote_decline(quote=quote, contact=carol, feedback="Too expensive for now")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DECLINED
    assert quote.feedback == "Too expensive for now"
    assert quote.decided_by == carol
    assert Commitment.objects.get(kind=Commitment.Kind.QUOTE).state == Commitment.State.KEPT
    alert = Alert.objects.get(kind=Alert.Kind.QUOTE_DECLINED)
    assert (
        alert_text(alert)
        == f"Carol Georgiou declined quote {quote.reference}: Too expensive for now"
    )
    assert alert.assignee == alice.user
    message = refused(lambda: quotes.quote_accept(quote=quote, contact=carol), "status")
    assert "already decided" in message


def test_accept_makes_the_contract_in_the_same_transaction(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    quotes.quote_accept(quote=quote, contact=carol)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    assert quote.decided_by == carol
    assert Commitment.objects.get(kind=Commitment.Kind.QUOTE).state == Commitment.State.KEPT
    assert Alert.objects.filter(kind=Alert.Kind.QUOTE_ACCEPTED, subject_id=quote.pk).exists()
    contract = Document.objects.get(quote=quote)
    assert contract.kind == Document.Kind.CONTRACT
    assert contract.signer == carol
    refused(lambda: quotes.quote_accept(quote=quote, contact=carol), "status")


def test_an_expired_quote_cannot_be_accepted(
    alice: Persona, carol: Contact, shop: Project, clock: time_machine.Traveller
) -> None:
    quote = sent(alice, shop, carol)
    clock.move_to(dt.datetime(2026, 12, 7, 22, 0, 1, tzinfo=dt.UTC))  # 00:00:01 in Athens
    message = refused(lambda: quotes.quote_accept(quote=quote, contact=carol), "status")
    assert "expired" in message
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT  # the scanner expires it; the refusal writes nothing


def test_another_clients_contact_cannot_decide(
    alice: Persona, carol: Contact, shop: Project, ioana: Contact
) -> None:
    quote = sent(alice, shop, carol)
    with pytest.raises(ApplicationError) as info:
        quotes.quote_decline(quote=quote, contact=ioana, feedback="No")
    assert info.value.code == "not_found"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


# --- New versions -----------------------------------------------------------------------------


def test_new_version_supersedes_the_old_one(alice: Persona, carol: Contact, shop: Project) -> None:
    old = sent(alice, shop, carol)
    new = quotes.quote_new_version(quote=old, actor=alice.user)
    old.refresh_from_db()
    assert old.status == Quote.Status.SUPERSEDED
    assert (new.series, new.version, new.status, new.previous) == (
        old.series,
        2,
        Quote.Status.DRAFT,
        old,
    )
    assert new.reference == f"Q-{old.series} v2"
    assert [line.net for line in new.lines.all()] == [line.net for line in old.lines.all()]
    assert new.stages.count() == 2
    assert new.total == old.total
    assert Commitment.objects.get(kind=Commitment.Kind.QUOTE).state == Commitment.State.CANCELLED
    message = refused(lambda: quotes.quote_accept(quote=old, contact=carol), "status")
    assert "replaced" in message
    refused(lambda: quotes.quote_new_version(quote=old, actor=alice.user), "status")
    refused(lambda: quotes.quote_new_version(quote=new, actor=alice.user), "status")
    quotes.quote_send(quote=new, actor=alice.user)
    assert (
        Commitment.objects.filter(kind=Commitment.Kind.QUOTE, state=Commitment.State.OPEN).count()
        == 1
    )


def test_a_declined_quote_can_follow_with_a_new_version(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    old = sent(alice, shop, carol)
    quotes.quote_decline(quote=old, contact=carol, feedback="Cheaper please")
    new = quotes.quote_new_version(quote=old, actor=alice.user)
    old.refresh_from_db()
    assert old.status == Quote.Status.SUPERSEDED
    assert Commitment.objects.get(kind=Commitment.Kind.QUOTE).state == Commitment.State.KEPT
    assert new.version == 2


def test_a_draft_has_no_new_version(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = draft(alice, shop, carol)
    refused(lambda: quotes.quote_new_version(quote=quote, actor=alice.user), "status")


@time_machine.travel(T0, tick=False)
def test_money_is_never_a_float(alice: Persona, carol: Contact, shop: Project) -> None:
    with pytest.raises(TypeError):
        draft(alice, shop, carol, lines=[LineInput(description="Site", unit_price=10.5)])


def test_a_share_too_small_to_pay_is_refused(alice: Persona, carol: Contact, shop: Project) -> None:
    message = refused(
        lambda: draft(
            alice,
            shop,
            carol,
            lines=[LineInput(description="Site", unit_price="1.00")],
            stages=[
                StageInput(kind=PaymentStage.Kind.DEPOSIT, percent="0.01"),
                StageInput(kind=PaymentStage.Kind.FINAL, percent="99.99"),
            ],
        ),
        "stages-0-percent",
    )
    assert message == "Payment 1: 0.01% of the total is less than €0.01."
