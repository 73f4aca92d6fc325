"""Billing pages run a fixed number of queries however many invoices, payments, lines and
time entries there are (DESIGN.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.billing.models import Invoice, PaymentMethod
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.billing.services.payments import payment_record
from rapport.billing.services.time_entries import time_entry_add
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.projects.models import Project
from rapport.projects.services import project_create


def grow(
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    n: int,
    currency: str = "EUR",
) -> Invoice:
    """``n`` more issued invoices for acme (two lines, a partial payment) and for other
    clients, and time entries on the website; returns the last invoice of acme."""
    last = None
    for i in range(n):
        other = client_create(workspace=alice.workspace, actor=alice.user, name=f"Other {i}")
        contact_create(client=other, actor=alice.user, name=f"O{i}", email=f"o{i}@x.example")
        project_create(client=other, actor=alice.user, title=f"Other project {i}")
        for client, contact in ((acme, carol), (other, None)):
            invoice = Invoice.objects.create(
                workspace=alice.workspace,
                client=client,
                project=website if client == acme else None,
                contact=contact,
                kind=Invoice.Kind.MILESTONE,
                currency=currency if i % 2 else "RON",
                language="el",
            )
            invoice_line_add(invoice=invoice, description="Design", quantity="2", unit_price="10")
            invoice_line_add(invoice=invoice, description="Dev", quantity="1", unit_price="5")
            invoice = invoice_issue(invoice=invoice, actor=alice.user)
            payment_record(
                invoice=invoice, actor=alice.user, amount="5", received_on=invoice.issue_date
            )
            if client == acme:
                last = invoice
        time_entry_add(
            project=website,
            actor=alice.user,
            worked_on=date.today(),
            hours=Decimal("1.5"),
            description=f"Work {i}",
            billing=("billable", "goodwill", "non_billable")[i % 3],
        )
    assert last is not None
    return last


def count(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


STAFF = {
    "invoices": lambda o: reverse("billing:invoice_list"),
    "invoices-client": lambda o: reverse("billing:invoice_list") + f"?client={o['acme'].pk}",
    "invoices-overdue": lambda o: reverse("billing:invoice_list") + "?status=overdue",
    "invoice": lambda o: reverse("billing:invoice_detail", args=[o["invoice"].pk]),
    "client": lambda o: reverse("clients:detail", args=[o["acme"].pk]),
    "project": lambda o: reverse("projects:detail", args=[o["website"].pk]),
    "client-balance": lambda o: reverse("billing:client_balance", args=[o["acme"].pk]),
    "project-billing": lambda o: reverse("billing:project_billing", args=[o["website"].pk]),
    "projects": lambda o: reverse("projects:list"),
    "payment-methods": lambda o: reverse("billing:payment_methods"),
}


SHARED = {"client", "project", "projects"}


def test_billing_adds_few_queries_to_shared_pages(
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    bank: PaymentMethod,
) -> None:
    """The client page reads no billing row, the project page one query (the "work before
    deposit" warning); their billing sections, loaded after the page, one (the balance) and
    three (invoices, time entries with the unbilled totals, kickoff steps)."""
    grow(alice, acme, carol, website, 2)
    balance = reverse("billing:client_balance", args=[acme.pk])
    panel = reverse("billing:project_billing", args=[website.pk])
    for url, table, most in (
        (reverse("clients:detail", args=[acme.pk]), "billing_", 0),
        (balance, "billing_", 1),
        (reverse("projects:detail", args=[website.pk]), "billing_", 1),
        (reverse("projects:detail", args=[website.pk]), "projects_kickoffitem", 0),
        (panel, "billing_", 2),
        (panel, "projects_kickoffitem", 1),
        (reverse("projects:list"), "billing_", 1),
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert alice_http.get(url).status_code == 200
        ours = [q for q in ctx.captured_queries if f' FROM "{table}' in q["sql"]]
        assert len(ours) == most, (url, table, [q["sql"][:80] for q in ours])


@pytest.mark.parametrize("label", sorted(STAFF))
def test_staff_billing_pages_do_not_grow(
    label: str,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    bank: PaymentMethod,
) -> None:
    first = grow(alice, acme, carol, website, 1)
    objects = {"acme": acme, "website": website, "invoice": first}
    small = count(alice_http, STAFF[label](objects))
    grow(alice, acme, carol, website, 8)
    large = count(alice_http, STAFF[label](objects))
    assert large == small, f"{label}: {small} queries, then {large}"
    if label not in SHARED:  # the client and project pages carry other parts' panels too
        assert large <= 15, f"{label}: {large} queries"


@pytest.mark.parametrize("page", ["invoices", "invoice", "home", "home_invoices"])
def test_portal_billing_pages_do_not_grow(
    page: str, alice: Persona, acme: Client, carol: Contact, website: Project, bank: PaymentMethod
) -> None:
    first = grow(alice, acme, carol, website, 1)
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = {
        "invoices": reverse("portal:invoices"),
        "invoice": reverse("portal:invoice", args=[first.pk]),
        "home": reverse("portal:home"),
        "home_invoices": reverse("portal:home_invoices"),
    }[page]
    small = count(http, url)
    grow(alice, acme, carol, website, 8)
    assert count(http, url) == small
    assert small <= 15
