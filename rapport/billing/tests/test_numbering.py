"""Invoice numbers: per workspace, taken at issue, no gaps, no duplicates (P09)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections
from django.db.utils import DEFAULT_DB_ALIAS

from rapport.billing.models import Invoice, InvoiceSequence
from rapport.billing.numbering import invoice_number_display
from rapport.billing.services.invoices import invoice_issue, invoice_line_add, invoice_void
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.projects.models import Project


def draft(
    persona: Persona, client: Client, contact: Contact, project: Project | None = None
) -> Invoice:
    invoice = Invoice.objects.create(
        workspace=persona.workspace,
        client=client,
        project=project,
        contact=contact,
        kind=Invoice.Kind.MILESTONE,
        currency="EUR",
        language="en",
    )
    invoice_line_add(invoice=invoice, description="Work", quantity="1", unit_price="100")
    return invoice


def test_display_format() -> None:
    assert invoice_number_display(7, date(2026, 3, 1)) == "INV-2026-0007"
    assert invoice_number_display(12345, date(2027, 1, 1)) == "INV-2027-12345"
    assert invoice_number_display(None, None) == ""


def test_drafts_have_no_number_and_cancelled_ones_keep_theirs(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    first = draft(alice, acme, carol)
    second = draft(alice, acme, carol)
    assert first.number is None and second.number is None
    second = invoice_issue(invoice=second, actor=alice.user)
    assert second.number == 1  # numbered in the order of issuing, not of drafting
    invoice_void(invoice=second, actor=alice.user)
    second.refresh_from_db()
    assert second.number == 1 and second.status == Invoice.Status.VOID
    first = invoice_issue(invoice=first, actor=alice.user)
    assert first.number == 2
    discarded = draft(alice, acme, carol)
    invoice_void(invoice=discarded, actor=alice.user)
    third = invoice_issue(invoice=draft(alice, acme, carol), actor=alice.user)
    assert third.number == 3


def test_each_workspace_counts_on_its_own(
    alice: Persona, acme: Client, carol: Contact, mallory: Persona, mallory_data: dict[str, Any]
) -> None:
    a = invoice_issue(invoice=draft(alice, acme, carol), actor=alice.user)
    m = invoice_issue(
        invoice=draft(mallory, mallory_data["client"], mallory_data["contact"]),
        actor=mallory.user,
    )
    assert (a.number, m.number) == (1, 1)


def test_a_failed_issue_leaves_no_gap(alice: Persona, acme: Client, carol: Contact) -> None:
    empty = Invoice.objects.create(
        workspace=alice.workspace,
        client=acme,
        contact=carol,
        kind="hourly",
        currency="EUR",
        language="en",
    )
    with pytest.raises(ApplicationError):
        invoice_issue(invoice=empty, actor=alice.user)  # no lines: refused
    assert invoice_issue(invoice=draft(alice, acme, carol), actor=alice.user).number == 1


THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_one_to_n(alice: Persona, acme: Client, carol: Contact) -> None:
    """N threads, each with its own database connection, issue at the same moment."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has no row locks (one writer at a time); run with DATABASE_URL=postgres://"
        )
    drafts = [draft(alice, acme, carol) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def issue(invoice: Invoice) -> None:
        try:
            barrier.wait(timeout=30)
            invoice_issue(invoice=invoice, actor=None)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    numbers = sorted(
        number
        for number in Invoice.objects.filter(workspace=alice.workspace).values_list(
            "number", flat=True
        )
        if number is not None
    )
    assert numbers == list(range(1, THREADS + 1))
    assert InvoiceSequence.objects.get(workspace=alice.workspace).last_number == THREADS
