# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""Optional packages (ADR 0022): a quote offers two or more, the client chooses one when
accepting, and the contract, the schedule and the deposit invoice follow the chosen one."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from rapport.agreements.models import Document, PaymentStage, Quote, QuotePackage
from rapport.agreements.quotes import services as quotes
from rapport.agreements.quotes.inputs import LineInput, StageInput, quote_input_of
from rapport.agreements.signing.services import document_countersign
from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    clock,
    draft,
    hourly,
    portal_http,
    sent,
    shop,
)
from rapport.agreements.tests.test_changes import EVIDENCE, _sign
from rapport.agreements.tests.test_quotes_views import editor_post
from rapport.billing.models import Invoice
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.templatetags.rapport import money
from rapport.core.timeline import describe_event
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import Project

LINES = [
    LineInput(description="Discovery workshop", unit_price="200", tax_rate="24"),
    LineInput(description="Design, 5 pages", unit_price="1000", tax_rate="24", package="Essential"),
    LineInput(description="Design, 12 pages", unit_price="2000", tax_rate="24", package="Complete"),
    LineInput(description="Copywriting", unit_price="500", tax_rate="24", package=" complete "),
]
ESSENTIAL, COMPLETE = Decimal("1488.00"), Decimal("3348.00")


def offer(alice: Persona, shop: Project, carol: Contact) -> Quote:
    return sent(alice, shop, carol, lines=LINES)


def test_packages_are_grouped_by_name_with_their_own_totals(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = draft(alice, shop, carol, lines=LINES)
    packages = list(quote.packages.all())
    assert [(p.name, p.total) for p in packages] == [
        ("Essential", ESSENTIAL),
        ("Complete", COMPLETE),
    ]
    assert packages[1].subtotal == Decimal("2700.00") and packages[1].tax_total == Decimal("648.00")
    # Before the choice the quote shows the lowest package ("from"), its schedule resolved on it.
    assert quote.total == ESSENTIAL
    assert [s.amount for s in quote.stages.all()] == [Decimal("744.00"), Decimal("744.00")]
    names = {
        line.description: line.package.name if line.package else "" for line in quote.lines.all()
    }
    assert names["Copywriting"] == "Complete" and names["Discovery workshop"] == ""
    # Editing keeps the packages; the stored quote reads back as the same input.
    assert [line.package for line in quote_input_of(quote).lines][1:] == [
        "Essential",
        "Complete",
        "Complete",
    ]


@pytest.mark.parametrize(
    ("lines", "stages", "field"),
    [
        ([LINES[0], LINES[1]], None, "lines-1-package"),  # one package is no choice
        (
            [LineInput(description=f"P{i}", unit_price="10", package=f"P{i}") for i in range(5)],
            None,
            "lines",
        ),
        (
            [*LINES[:1], LineInput(description="x", unit_price="1", package="y" * 81)],
            None,
            "lines-1-package",
        ),
        (LINES, [StageInput(kind=PaymentStage.Kind.FINAL, amount="1488.00")], "stages"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    alice: Persona,
    carol: Contact,
    shop: Project,
    lines: list[LineInput],
    stages: list[StageInput] | None,
    field: str,
) -> None:
    extra = {"stages": stages} if stages else {}
    with pytest.raises(ApplicationError) as refused:
        draft(alice, shop, carol, lines=lines, **extra)
    assert refused.value.field == field
    assert not Quote.objects.exists() and not QuotePackage.objects.exists()


def test_accepting_needs_a_choice(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = offer(alice, shop, carol)
    with pytest.raises(ApplicationError) as refused:
        quotes.quote_accept(quote=quote, contact=carol)
    assert refused.value.field == "package"
    assert "Essential, Complete" in refused.value.message
    other = draft(alice, shop, carol, lines=LINES)
    with pytest.raises(ApplicationError):
        quotes.quote_accept(quote=quote, contact=carol, package_id=other.packages.first().pk)  # type: ignore[union-attr]
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT and quote.chosen_package is None
    assert not Document.objects.exists()


def test_a_quote_without_packages_takes_no_choice(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    with pytest.raises(ApplicationError) as refused:
        quotes.quote_accept(quote=quote, contact=carol, package_id=1)
    assert refused.value.field == "package"


def test_the_chosen_package_flows_downstream(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = offer(alice, shop, carol)
    complete = quote.packages.get(name="Complete")
    quotes.quote_accept(quote=quote, contact=carol, package_id=complete.pk)
    quote.refresh_from_db()
    assert quote.chosen_package == complete
    assert (quote.subtotal, quote.tax_total, quote.total) == (
        Decimal("2700.00"),
        Decimal("648.00"),
        COMPLETE,
    )
    assert [s.amount for s in quote.stages.all()] == [Decimal("1674.00"), Decimal("1674.00")]
    assert [line.description for line in quote.agreed_lines()] == [
        "Discovery workshop",
        "Design, 12 pages",
        "Copywriting",
    ]
    # The provider's alert and the timeline name the package.
    alert = Alert.objects.get(kind=Alert.Kind.QUOTE_ACCEPTED)
    assert "“Complete”" in alert_text(alert)
    event = TimelineEvent.objects.get(verb="quote.accepted_package")
    assert "Complete" in describe_event(event.verb, event.data)
    # The contract lists only what was agreed, at the chosen price.
    contract = Document.objects.get(quote=quote)
    described = [line["description"] for line in contract.data["lines"]]
    assert described == ["Discovery workshop", "Design, 12 pages", "Copywriting"]
    assert "Design, 5 pages" not in str(contract.data)
    assert contract.data["totals"]["total"].replace("\xa0", " ") in ("3.348,00 €", "€3,348.00")
    # Countersigning invoices the deposit: half of the chosen package's total.
    with translation.override("el"):
        _sign(contract, carol)
    document_countersign(
        document=contract, actor=alice.user, typed_name="Alice", consent=True, evidence=EVIDENCE
    )
    deposit = Invoice.objects.get(stage__kind=PaymentStage.Kind.DEPOSIT)
    assert deposit.total == Decimal("1674.00")
    assert deposit.tax_total == Decimal("324.00")  # 24 % of the chosen lines only


def test_a_new_version_offers_the_same_packages(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = offer(alice, shop, carol)
    new = quotes.quote_new_version(quote=quote, actor=alice.user)
    assert [(p.name, p.total) for p in new.packages.all()] == [
        ("Essential", ESSENTIAL),
        ("Complete", COMPLETE),
    ]
    assert all(line.package is None or line.package.quote_id == new.pk for line in new.lines.all())
    assert new.lines.filter(package__name="Complete").count() == 2


def test_the_portal_shows_the_packages_and_the_client_chooses(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = offer(alice, shop, carol)
    # The message says there is a choice, and the lowest price ("from").
    note = Notification.objects.get(kind="quote_sent", subject_id=quote.pk)
    with translation.override("el"):
        said = gettext(
            "You choose one of %(n)s packages, from %(total)s. We hold these prices until %(date)s."
        ) % {
            "n": 2,
            "total": money(ESSENTIAL, "EUR"),
            "date": date_format(quote.valid_until, "DATE_FORMAT"),
        }
    assert said in note.body and "You choose" not in said
    http = portal_http(carol)
    page = http.get(reverse("portal:quote", args=[quote.pk])).content.decode()
    # Side by side, each with its total in the contact's locale (carol reads Greek).
    assert 'data-package="Essential"' in page and 'data-package="Complete"' in page
    assert "1.488,00" in page and "3.348,00" in page
    assert 'name="package"' in page and 'form="quote-accept"' in page
    url = reverse("portal:quote_accept", args=[quote.pk])
    refused = http.post(url, {"confirm": "on"})
    assert refused.status_code == 400
    with translation.override("el"):
        assert "Essential, Complete" in refused.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    essential = quote.packages.get(name="Essential")
    assert http.post(url, {"confirm": "on", "package": str(essential.pk)}).status_code == 302
    quote.refresh_from_db()
    assert quote.chosen_package == essential and quote.total == ESSENTIAL
    after = http.get(reverse("portal:quote", args=[quote.pk])).content.decode()
    assert 'class="card package chosen"' in after and 'name="package"' not in after


def test_the_builder_saves_packages_and_totals_them_as_you_type(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:
    rows = {
        "lines-TOTAL_FORMS": "3",
        "lines-1-kind": "fixed",
        "lines-1-description": "Design, 12 pages",
        "lines-1-quantity": "1",
        "lines-1-unit_price": "2000",
        "lines-1-tax_rate": "24",
        "lines-1-package": "Complete",
        "lines-0-package": "Essential",
        "lines-2-kind": "fixed",
    }
    totals = alice_http.post(
        reverse("agreements:quote_totals", args=[shop.pk]), editor_post(carol, **rows)
    ).content.decode()
    assert 'data-package="Essential"' in totals and "€1,240.00" in totals
    assert 'data-package="Complete"' in totals and "€2,480.00" in totals
    response = alice_http.post(
        reverse("agreements:quote_create", args=[shop.pk]), editor_post(carol, **rows)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    quote = Quote.objects.get()
    assert [p.name for p in quote.packages.all()] == ["Essential", "Complete"]
    edit = alice_http.get(reverse("agreements:quote_edit", args=[quote.pk])).content.decode()
    assert 'value="Complete"' in edit
    detail = alice_http.get(reverse("agreements:quote_detail", args=[quote.pk])).content.decode()
    assert 'data-testid="packages"' in detail


def test_the_load_before_sending_counts_one_package(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    """The capacity check (P03) counts the common hours and the largest package's, not the
    hours of every package: the client takes one."""
    lines = [
        hourly("Workshop", "10", "50"),
        replace(hourly("Build, small", "20", "50"), package="Small"),
        replace(hourly("Build, large", "45", "50"), package="Large"),
        replace(hourly("Blog", "5", "50"), package="large"),
    ]
    quote = draft(alice, shop, carol, lines=lines)
    page = alice_http.get(reverse("agreements:quote_detail", args=[quote.pk])).content.decode()
    assert re.search(r"\b60(\.0+)? hours", page), page
    assert not re.search(r"\b80(\.0+)? hours", page)


def test_lists_read_the_total_as_from_until_the_choice(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = offer(alice, shop, carol)
    staff_from = re.compile(r"from\s+€1,488\.00")
    assert staff_from.search(alice_http.get(reverse("agreements:quote_list")).content.decode())
    project_card = reverse("agreements:project_quotes", args=[shop.pk])
    assert staff_from.search(alice_http.get(project_card).content.decode())
    http = portal_http(carol)
    home = http.get(reverse("portal:home_quotes")).content.decode()
    assert re.search(r"από\s+1\.488,00", home), home  # carol reads Greek
    complete = quote.packages.get(name="Complete")
    quotes.quote_accept(quote=quote, contact=carol, package_id=complete.pk)
    listed = alice_http.get(reverse("agreements:quote_list")).content.decode()
    assert not staff_from.search(listed) and "€3,348.00" in listed
