"""Billing fixtures: an accepted quote of alice's for acme's website, its payment schedule,
and the signed contract, written as rows (the quote and contract services are another
part's; here only their results matter)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rapport.agreements.models import Document, PaymentStage, Quote, QuoteLine
from rapport.billing.models import PaymentMethod
from rapport.billing.payment_methods import payment_method_save
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.money import line_amounts
from rapport.projects.models import Project


def make_quote(
    persona: Persona,
    client: Client,
    project: Project,
    contact: Contact | None,
    lines: list[tuple[str, str, str]],
    currency: str = "EUR",
    series: int = 1,
) -> Quote:
    """An accepted quote with ``lines`` of (quantity, unit price, tax rate)."""
    quote = Quote.objects.create(
        workspace=persona.workspace,
        client=client,
        project=project,
        contact=contact,
        series=series,
        title="Website redesign",
        currency=currency,
        language=client.language,
        valid_until=timezone.localdate() + timedelta(days=30),
        status=Quote.Status.ACCEPTED,
        revision_hourly_rate=Decimal("60"),
    )
    subtotal = tax_total = Decimal(0)
    for i, (qty, price, rate) in enumerate(lines):
        net, tax = line_amounts(Decimal(qty), Decimal(price), Decimal(rate), currency)
        QuoteLine.objects.create(
            quote=quote,
            position=i,
            description=f"Line {i}",
            quantity=Decimal(qty),
            unit_price=Decimal(price),
            tax_rate=Decimal(rate),
            net=net,
            tax=tax,
        )
        subtotal += net
        tax_total += tax
    quote.subtotal, quote.tax_total, quote.total = subtotal, tax_total, subtotal + tax_total
    quote.save()
    return quote


def add_stage(
    quote: Quote, kind: str, amount: str, label: str = "", position: int = 0
) -> PaymentStage:
    return PaymentStage.objects.create(
        workspace_id=quote.workspace_id,
        quote=quote,
        kind=kind,
        label=label,
        amount=Decimal(amount),
        position=position,
    )


def sign_contract(quote: Quote, signer: Contact) -> Document:
    now = timezone.now()
    return Document.objects.create(
        workspace_id=quote.workspace_id,
        kind=Document.Kind.CONTRACT,
        status=Document.Status.SIGNED,
        client=quote.client,
        project=quote.project,
        quote=quote,
        signer=signer,
        title="Contract",
        language=quote.language,
        body="Terms",
        pdf=b"%PDF-1.7 test",
        sha256="0" * 64,
        sign_by=now + timedelta(days=7),
        client_signed_at=now,
        provider_signed_at=now,
    )


@pytest.fixture
def quote(alice: Persona, acme: Client, website: Project, carol: Contact) -> Quote:
    """Two lines at 24% (Greek VAT): 2,000 + 500 net, 3,100 total."""
    return make_quote(alice, acme, website, carol, [("1", "2000", "24"), ("5", "100", "24")])


@pytest.fixture
def schedule(quote: Quote) -> dict[str, PaymentStage]:
    return {
        "deposit": add_stage(quote, "deposit", "930.00", "Deposit 30%", 0),
        "milestone": add_stage(quote, "milestone", "1240.00", "Designs approved", 1),
        "final": add_stage(quote, "final", "930.00", "Launch", 2),
    }


@pytest.fixture
def contract(quote: Quote, carol: Contact) -> Document:
    return sign_contract(quote, carol)


@pytest.fixture
def bank(alice: Persona) -> PaymentMethod:
    return payment_method_save(
        membership=alice.membership,
        kind="bank",
        label="Piraeus Bank",
        account_holder="Alice Papadopoulou",
        iban="GR16 0110 1250 0000 0001 2300 695",
        bic="PIRBGRAA",
    )
