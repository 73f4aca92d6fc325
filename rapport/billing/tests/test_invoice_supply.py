"""The date of supply, or the service period, on an invoice (EU VAT Directive art. 226(7)):
asked when issuing, proposed from the hours invoiced, printed in the PDF when it differs from
the issue date, read back in Greek and Romanian; and the tax-rate columns named as invoices
in each language name them."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from rapport.billing.models import Invoice
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.billing.services.supply import supply_clean
from rapport.billing.services.time_entries import invoice_draft_hourly, time_entry_add
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.projects.models import Project
from rapport.projects.services import project_create

ISSUE = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def clock() -> object:
    with time_machine.travel("2026-12-07 09:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("on", "until", "field"),
    [
        (None, date(2026, 11, 30), "supplied_on"),
        (date(2026, 11, 30), date(2026, 11, 1), "supplied_until"),
        (ISSUE - timedelta(days=400), None, "supplied_on"),
        (date(2026, 11, 1), ISSUE + timedelta(days=400), "supplied_until"),
    ],
)
def test_refusals_name_the_field(on: date | None, until: date | None, field: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        supply_clean(issue_date=ISSUE, supplied_on=on, supplied_until=until)
    assert refused.value.field == field


def test_nothing_to_print_is_stored_as_nothing() -> None:
    assert supply_clean(issue_date=ISSUE, supplied_on=ISSUE, supplied_until=None) == (None, None)
    one_day = date(2026, 11, 30)
    assert supply_clean(issue_date=ISSUE, supplied_on=one_day, supplied_until=one_day) == (
        one_day,
        None,
    )


def _client(alice: Persona, language: str) -> Client:
    client = client_create(
        workspace=alice.workspace, actor=alice.user, name="Client", language=language
    )
    contact_create(client=client, actor=alice.user, name="Eleni", email="e@example.com")
    return client


def _draft(alice: Persona, client: Client) -> Invoice:
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=client,
        kind="milestone",
        currency="EUR",
        language=client.language,
    )
    invoice_line_add(
        invoice=invoice, description="A", quantity="1", unit_price="100", tax_rate="19"
    )
    return invoice


def _pdf_text(invoice: Invoice) -> str:
    content = bytes(Invoice.objects.get(pk=invoice.pk).pdf or b"")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.mark.parametrize(
    ("language", "period", "single", "columns"),
    [
        (
            "el",
            "Περίοδος παροχής υπηρεσιών: {nov1} – {nov30}",
            "Ημερομηνία παροχής: {nov30}",
            ["Συντελεστής ΦΠΑ", "Συντελεστής"],
        ),
        (
            "ro",
            "Perioada prestării: {nov1} – {nov30}",
            "Data prestării: {nov30}",
            ["Cotă TVA", "Cotă"],
        ),
    ],
)
def test_the_pdf_shows_the_supply_when_it_differs(
    alice: Persona, language: str, period: str, single: str, columns: list[str]
) -> None:
    # Dates as the invoice's language writes them (the formatting policy is not this test's).
    with translation.override(language):
        days = {
            "nov1": date_format(date(2026, 11, 1), "DATE_FORMAT"),
            "nov30": date_format(date(2026, 11, 30), "DATE_FORMAT"),
        }
    period, single = period.format(**days), single.format(**days)
    client = _client(alice, language)
    text = _pdf_text(
        invoice_issue(
            invoice=_draft(alice, client),
            actor=alice.user,
            supplied_on=date(2026, 11, 1),
            supplied_until=date(2026, 11, 30),
        )
    )
    assert period in text, text
    for column in columns:
        assert column in text, column
    assert "Rată" not in text
    text = _pdf_text(
        invoice_issue(
            invoice=_draft(alice, client), actor=alice.user, supplied_on=date(2026, 11, 30)
        )
    )
    assert single in text, text
    # Supplied on the day of issue: nothing more is printed.
    plain = invoice_issue(invoice=_draft(alice, client), actor=alice.user, supplied_on=ISSUE)
    assert plain.supplied_on is None
    assert single.split(":")[0] not in _pdf_text(plain)


def test_a_refused_date_issues_nothing(alice: Persona) -> None:
    invoice = _draft(alice, _client(alice, "ro"))
    with pytest.raises(ApplicationError):
        invoice_issue(
            invoice=invoice,
            actor=alice.user,
            supplied_on=date(2026, 11, 30),
            supplied_until=date(2026, 11, 1),
        )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.DRAFT and invoice.number is None


def test_the_issue_form_proposes_the_period_of_the_hours(
    alice: Persona, alice_http: HttpClient
) -> None:
    client = _client(alice, "ro")
    project = project_create(
        client=client,
        actor=alice.user,
        title="Support",
        start_date=date(2026, 11, 1),
        status=Project.Status.ACTIVE,
    )
    for day in (date(2026, 11, 3), date(2026, 11, 27)):
        time_entry_add(project=project, actor=alice.user, worked_on=day, hours="2", description="x")
    invoice = invoice_draft_hourly(project=project, actor=alice.user, rate="50")
    url = reverse("billing:invoice_detail", args=[invoice.pk])
    page = alice_http.get(url).content.decode()
    assert 'name="supplied_on"' in page and 'value="2026-11-03"' in page
    assert 'value="2026-11-27"' in page and 'form="issue-form"' in page
    issue = reverse("billing:invoice_issue", args=[invoice.pk])
    refused = alice_http.post(issue, {"supplied_on": "2026-11-27", "supplied_until": "2026-11-03"})
    assert refused.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.DRAFT
    assert "ends before it starts" in alice_http.get(url).content.decode()
    alice_http.post(issue, {"supplied_on": "2026-11-03", "supplied_until": "2026-11-27"})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert (invoice.supplied_on, invoice.supplied_until) == (date(2026, 11, 3), date(2026, 11, 27))
    assert date_format(date(2026, 11, 27), "DATE_FORMAT") in alice_http.get(url).content.decode()
