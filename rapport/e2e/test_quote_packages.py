"""A quote with packages, end to end in a browser (ADR 0022): the provider builds it from a
saved item and typed lines, naming two packages, and watches the package totals follow; the
Romanian client compares the packages side by side in the portal, is told to choose when
accepting without a choice, chooses "Complete" and accepts; the provider's alert names it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from rapport.agreements.items.services import ItemInput, saved_item_create
from rapport.agreements.models import Document, Quote
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.core.templatetags.rapport import money
from rapport.e2e.conftest import NewContext, Screenshot, log_in
from rapport.notifications.alerts import alert_text
from rapport.notifications.models import Alert
from rapport.projects.models import Project
from rapport.projects.services import project_create

pytestmark = pytest.mark.browser

CURRENCY = "RON"


def ro(msgid: str, **values: object) -> str:
    """The Romanian translation of ``msgid``, which must exist."""
    with translation.override("ro"):
        text = gettext(msgid)
    assert text != msgid, f"no Romanian translation of {msgid!r}"
    return text % values if values else text


def in_language(language: str, amount: str) -> str:
    with translation.override(language):
        return money(Decimal(amount), CURRENCY)


def test_the_client_compares_packages_and_chooses_one(
    new_context: NewContext, screenshot: Screenshot, live_server: LiveServer, alice: Persona
) -> None:
    client = client_create(
        workspace=alice.workspace,
        actor=alice.user,
        name="Cofetăria Popescu",
        language="ro",
        timezone="Europe/Bucharest",
        currency=CURRENCY,
    )
    contact = contact_create(
        client=client, actor=alice.user, name="Ioana Rădulescu", email="ioana@cofetaria.example"
    )
    project = project_create(
        client=client,
        actor=alice.user,
        title="Magazin online",
        start_date=date.today() + timedelta(days=7),
        due_date=date.today() + timedelta(days=60),
        status=Project.Status.PROPOSED,
    )
    saved_item_create(
        workspace=alice.workspace,
        data=ItemInput(
            description="Atelier de descoperire",
            unit_price="1000",
            currency=CURRENCY,
            tax_rate="19",
        ),
    )

    staff = new_context().new_page()
    staff.on("dialog", lambda dialog: dialog.accept())
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto(f"/agreements/projects/{project.pk}/quotes/new/")
    staff.get_by_label("Hourly rate after the free rounds").fill("200")
    lines = staff.get_by_role("group", name="A line of the price", exact=True)
    expect(lines).to_have_count(1)
    first = lines.nth(0)
    first.get_by_label("Description").fill("Magazin, 5 pagini")
    first.get_by_label("Unit price").fill("4000")
    first.get_by_label("Tax %").fill("19")
    first.get_by_label("Package (optional)").fill("Esențial")
    # A saved item fills a new row: always included (no package).
    expect(staff.get_by_label("or a saved item")).to_contain_text("Atelier de descoperire")
    staff.get_by_role("button", name="Add the saved item").click()
    expect(lines).to_have_count(2)
    expect(lines.nth(1).get_by_label("Description")).to_have_value("Atelier de descoperire")
    expect(lines.nth(1).get_by_label("Unit price")).to_have_value("1000")
    staff.get_by_role("button", name="Add a line").click()
    expect(lines).to_have_count(3)
    third = lines.nth(2)
    third.get_by_label("Description").fill("Magazin, 15 pagini, cu blog")
    third.get_by_label("Unit price").fill("7000")
    third.get_by_label("Tax %").fill("19")
    third.get_by_label("Package (optional)").fill("Complet")
    package_totals = staff.get_by_test_id("package-totals")
    expect(package_totals).to_contain_text(in_language("en", "5950.00"))  # (4000 + 1000) + 19 %
    expect(package_totals).to_contain_text(in_language("en", "9520.00"))  # (7000 + 1000) + 19 %
    screenshot(staff, "quote-packages-01-builder")
    staff.get_by_role("button", name="Save draft").click()
    quote = Quote.objects.get(project=project)
    expect(staff).to_have_url(f"{live_server.url}/agreements/quotes/{quote.pk}/")
    expect(staff.get_by_test_id("packages")).to_contain_text("Complet")
    staff.locator(".page-head").get_by_role("button", name="Send", exact=True).click()
    expect(staff.locator("h1 .badge")).to_have_text("Sent")

    _link, token = portal_link_create(contact=contact, actor=None)
    portal = new_context(locale="ro-RO", timezone_id="Europe/Bucharest").new_page()
    portal.goto(f"/p/o/{token}/?next=/p/quotes/{quote.pk}/")
    portal.get_by_role("button", name=ro("Open my project page")).click()
    expect(portal).to_have_url(f"{live_server.url}/p/quotes/{quote.pk}/")
    cards = portal.locator(".package")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Esențial")
    expect(cards.nth(0)).to_contain_text(in_language("ro", "5950.00"))
    expect(cards.nth(1)).to_contain_text(in_language("ro", "9520.00"))
    # Side by side on a desktop window: the second card starts to the right of the first.
    left, right = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert left is not None and right is not None and right["x"] > left["x"]
    screenshot(portal, "quote-packages-02-portal")

    decide = portal.locator("#decide")
    decide.get_by_label(
        ro("I have read this quote and I accept it: its work, price and payment schedule.")
    ).check()
    decide.get_by_role("button", name=ro("Accept the quote")).click()
    expect(portal.locator("#package-choice [role=alert]")).to_contain_text(
        ro("Choose one of the packages (%(names)s) to accept the quote.", names="Esențial, Complet")
    )
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    portal.get_by_label(ro("Choose “%(name)s”", name="Complet")).check()
    portal.locator("#decide").get_by_label(
        ro("I have read this quote and I accept it: its work, price and payment schedule.")
    ).check()
    portal.locator("#decide").get_by_role("button", name=ro("Accept the quote")).click()
    expect(portal.locator(".package.chosen")).to_contain_text("Complet")
    expect(portal.locator("[data-total=quote]")).to_contain_text(in_language("ro", "9520.00"))

    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED and quote.chosen_package is not None
    assert quote.chosen_package.name == "Complet" and quote.total == Decimal("9520.00")
    contract = Document.objects.get(quote=quote)
    assert [line["description"] for line in contract.data["lines"]] == [
        "Atelier de descoperire",
        "Magazin, 15 pagini, cu blog",
    ]
    alert = Alert.objects.get(kind=Alert.Kind.QUOTE_ACCEPTED, subject_id=quote.pk)
    assert "“Complet”" in alert_text(alert)
