# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""Saved line items: the page that lists, adds, edits and archives them; the builder that
offers them (a picked item fills a row) and saves a line for reuse; tenancy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.agreements.items.services import ItemInput, saved_item_archive, saved_item_create
from rapport.agreements.models import Quote, SavedItem
from rapport.agreements.tests.quote_fixtures import clock, shop  # noqa: F401 (fixtures)
from rapport.agreements.tests.test_quotes_views import editor_post
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.projects.models import Project


def logo(alice: Persona, **overrides: str) -> SavedItem:
    values = {
        "description": "Logo design",
        "unit_price": "450",
        "currency": "EUR",
        "tax_rate": "24",
    }
    values.update(overrides)
    return saved_item_create(workspace=alice.workspace, data=ItemInput(**values))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"unit_price": "-1"}, "unit_price"),
        ({"unit_price": "12.345"}, "unit_price"),
        ({"currency": "XYZ"}, "currency"),
        ({"tax_rate": "130"}, "tax_rate"),
        ({"unit": "u" * 41}, "unit"),
    ],
)
def test_bad_values_are_refused_by_field(
    alice: Persona, overrides: dict[str, str], field: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        logo(alice, **overrides)
    assert refused.value.field == field
    assert not SavedItem.objects.exists()


def test_one_active_item_per_description_and_currency(alice: Persona) -> None:
    first = logo(alice)
    with pytest.raises(ApplicationError) as refused:
        logo(alice, description="logo  DESIGN")
    assert refused.value.field == "description"
    assert logo(alice, currency="RON").currency == "RON"  # another currency is another item
    saved_item_archive(item=first)
    again = logo(alice)
    with pytest.raises(ApplicationError):
        saved_item_archive(item=first, archived=False)  # "again" holds the name now
    assert again.pk != first.pk


def test_the_page_lists_adds_edits_and_archives(alice_http: HttpClient, alice: Persona) -> None:
    url = reverse("agreements:saved_items")
    refused = alice_http.post(
        url, {"description": "Hosting", "kind": "fixed", "unit_price": "abc", "currency": "EUR"}
    )
    assert refused.status_code == 400
    assert not SavedItem.objects.exists()
    added = alice_http.post(
        url,
        {
            "description": "Hosting",
            "kind": "quantity",
            "unit": "month",
            "unit_price": "25",
            "currency": "eur",
            "tax_rate": "24",
        },
    )
    assert added.status_code == 302
    item = SavedItem.objects.get()
    assert (item.unit_price, item.currency, item.unit) == (Decimal("25"), "EUR", "month")
    page = alice_http.get(url).content.decode()
    assert "Hosting" in page and "€25.00" in page
    edit_url = reverse("agreements:saved_item_edit", args=[item.pk])
    assert 'value="25"' in alice_http.get(edit_url).content.decode()
    saved = alice_http.post(
        edit_url,
        {"description": "Hosting", "kind": "quantity", "unit_price": "30", "currency": "EUR"},
    )
    assert saved.status_code == 302
    item.refresh_from_db()
    assert item.unit_price == Decimal("30") and item.tax_rate == 0
    alice_http.post(reverse("agreements:saved_item_archive", args=[item.pk]))
    assert "<td>Hosting</td>" not in alice_http.get(url).content.decode()
    assert "<td>Hosting</td>" in alice_http.get(url + "?archived=1").content.decode()
    alice_http.post(reverse("agreements:saved_item_archive", args=[item.pk]), {"restore": "1"})
    item.refresh_from_db()
    assert item.archived_at is None


def test_the_builder_offers_items_and_a_pick_fills_a_row(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    item = logo(alice, kind="quantity", unit="concept")
    archived = logo(alice, description="Old retainer")
    saved_item_archive(item=archived)
    page = alice_http.get(reverse("agreements:quote_create", args=[shop.pk])).content.decode()
    assert f'<option value="{item.pk}">' in page and "Logo design" in page
    assert "Old retainer" not in page
    # With htmx: one more row, filled.
    row = alice_http.get(
        reverse("agreements:quote_row", args=[shop.pk]),
        {"kind": "lines", "lines-TOTAL_FORMS": "1", "_item": str(item.pk)},
    ).content.decode()
    assert 'name="lines-1-description"' in row and 'value="Logo design"' in row
    assert 'value="450"' in row and 'value="24"' in row and 'value="concept"' in row
    # Without JavaScript: the form comes back, unsaved, with the row filled.
    back = alice_http.post(
        reverse("agreements:quote_create", args=[shop.pk]),
        editor_post(carol, _add="item", _item=str(item.pk)),
    ).content.decode()
    assert 'name="lines-2-description"' in back and 'value="Logo design"' in back
    assert not Quote.objects.exists()


def test_a_line_is_saved_for_reuse_from_the_builder(
    alice_http: HttpClient, alice: Persona, carol: Contact
) -> None:
    url = reverse("agreements:saved_item_from_line")
    posted = editor_post(carol, _line="lines-0")
    answer = alice_http.post(url, posted)
    assert answer.status_code == 200 and "Design" in answer.content.decode()
    item = SavedItem.objects.get()
    assert (item.description, item.unit_price, item.tax_rate, item.currency) == (
        "Design",
        Decimal("1000.00"),
        Decimal("24"),
        "EUR",
    )
    twice = alice_http.post(url, posted)
    assert twice.status_code == 400 and "already a saved item" in twice.content.decode()
    assert alice_http.post(url, {**posted, "_line": "stages-0"}).status_code == 400
    assert SavedItem.objects.count() == 1


def test_an_outsider_cannot_pick_or_touch_alices_items(
    alice: Persona, mallory: Persona, mallory_http: HttpClient, shop: Project
) -> None:
    item = logo(alice)
    mallory_project = Project.objects.create(
        workspace=mallory.workspace,
        client=shop.client.__class__.objects.create(workspace=mallory.workspace, name="Evil"),
        title="Evil shop",
    )
    row = mallory_http.get(
        reverse("agreements:quote_row", args=[mallory_project.pk]),
        {"kind": "lines", "lines-TOTAL_FORMS": "0", "_item": str(item.pk)},
    )
    assert row.status_code == 404
    for name, method in (("saved_item_edit", "get"), ("saved_item_archive", "post")):
        response = getattr(mallory_http, method)(reverse(f"agreements:{name}", args=[item.pk]))
        assert response.status_code == 404
    assert "Logo design" not in mallory_http.get(reverse("agreements:saved_items")).content.decode()
    item.refresh_from_db()
    assert item.archived_at is None
