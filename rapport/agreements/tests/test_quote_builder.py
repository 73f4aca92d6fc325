# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""The quote builder: rows added and removed without blank rows (with and without htmx), the
running totals computed by the server's own rounding, and the revision rate a new quote needs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.agreements.models import Quote
from rapport.agreements.quotes import services as quotes
from rapport.agreements.quotes.inputs import quote_input_of
from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    clock,
    draft,
    quote_input,
    shop,
)
from rapport.agreements.tests.test_quotes_views import editor_post
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.projects.models import Project

THREE_LINES = {
    "lines-TOTAL_FORMS": "5",
    "lines-1-kind": "hourly",
    "lines-1-description": "Copy",
    "lines-1-quantity": "3.5",
    "lines-1-unit_price": "33.33",
    "lines-1-tax_rate": "9",
    # lines-2 and lines-3 were removed in the page: a gap, not blank rows.
    "lines-4-kind": "quantity",
    "lines-4-description": "Photos",
    "lines-4-quantity": "7",
    "lines-4-unit_price": "0.99",
    "lines-4-tax_rate": "24",
}


def test_a_new_quote_needs_the_rate_after_the_free_rounds(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    with pytest.raises(ApplicationError) as refused:
        draft(alice, shop, carol, revision_hourly_rate="")
    assert refused.value.field == "revision_hourly_rate"
    assert not Quote.objects.exists()


def test_a_quote_saved_before_the_rule_is_sent_as_it_is(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = draft(alice, shop, carol)
    Quote.objects.filter(pk=quote.pk).update(revision_hourly_rate=0)  # as stored before
    sent = quotes.quote_send(quote=quote, actor=alice.user)
    assert (sent.status, sent.revision_hourly_rate) == (Quote.Status.SENT, Decimal(0))
    # Editing its next version asks for the rate.
    new = quotes.quote_new_version(quote=sent, actor=alice.user)
    with pytest.raises(ApplicationError) as refused:
        quotes.quote_update(quote=new, actor=alice.user, data=quote_input_of(new))
    assert refused.value.field == "revision_hourly_rate"


def test_the_editor_names_the_missing_rate(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:
    form = alice_http.get(reverse("agreements:quote_create", args=[shop.pk])).content.decode()
    assert 'name="revision_hourly_rate" value="0"' not in form
    assert "Line 1" not in form and "DELETE" not in form
    response = alice_http.post(
        reverse("agreements:quote_create", args=[shop.pk]),
        editor_post(carol, revision_hourly_rate=""),
    )
    assert response.status_code == 400
    assert "Set the hourly rate for the rounds after the free ones" in response.content.decode()
    assert not Quote.objects.exists()


def test_the_running_totals_are_the_saved_totals(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:
    data = editor_post(carol, **THREE_LINES)
    preview = alice_http.post(reverse("agreements:quote_totals", args=[shop.pk]), data)
    body = preview.content.decode()
    data["stages-1-percent"] = "70"
    saved = alice_http.post(reverse("agreements:quote_create", args=[shop.pk]), data)
    assert saved.status_code == 302
    quote = Quote.objects.get()
    # 1000 + 116.66 (3.5 x 33.33 rounded) + 6.93; tax 240 + 10.50 + 1.66.
    assert (quote.subtotal, quote.tax_total) == (Decimal("1123.59"), Decimal("252.16"))
    assert quote.lines.count() == 3
    for figure in ("1,123.59", "1,375.75", "Tax 9%", "10.50", "Tax 24%", "241.66"):
        assert figure in body, body
    # A line that does not parse yet is left out and said so, not refused.
    data["lines-4-unit_price"] = "abc"
    partly = alice_http.post(reverse("agreements:quote_totals", args=[shop.pk]), data)
    assert "1 line is not counted yet" in partly.content.decode()
    bad = alice_http.post(
        reverse("agreements:quote_totals", args=[shop.pk]), {**data, "currency": "XXY"}
    )
    assert bad.status_code == 200 and "1,123.59" not in bad.content.decode()


def test_remove_with_htmx_deletes_the_row_and_its_amount(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:
    data = editor_post(carol, **THREE_LINES, _remove="lines-4")
    body = alice_http.post(reverse("agreements:quote_totals", args=[shop.pk]), data)
    text = body.content.decode()
    assert '<fieldset id="lines-4" hx-swap-oob="delete">' in text
    assert "1,116.66" in text


def test_add_and_remove_without_javascript(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:
    url = reverse("agreements:quote_create", args=[shop.pk])
    added = alice_http.post(url, editor_post(carol, **THREE_LINES, _add="lines"))
    body = added.content.decode()
    assert added.status_code == 200 and not Quote.objects.exists()
    # Renumbered 0..2 and one empty row at 3.
    assert 'name="lines-TOTAL_FORMS" value="4"' in body
    assert 'name="lines-2-description" value="Photos"' in body
    assert 'name="lines-3-description"' in body and 'name="lines-4-description"' not in body
    removed = alice_http.post(url, editor_post(carol, **THREE_LINES, _remove="lines-1"))
    body = removed.content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in body and "Copy" not in body


def test_the_totals_of_another_workspace_are_not_found(
    mallory_http: HttpClient, carol: Contact, shop: Project
) -> None:
    response = mallory_http.post(
        reverse("agreements:quote_totals", args=[shop.pk]), editor_post(carol)
    )
    assert response.status_code == 404


def test_the_totals_cost_a_fixed_number_of_queries(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:

    url = reverse("agreements:quote_totals", args=[shop.pk])
    counts = []
    for extra in ({}, THREE_LINES):
        with CaptureQueriesContext(connection) as ctx:
            alice_http.post(url, editor_post(carol, **extra))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 6
