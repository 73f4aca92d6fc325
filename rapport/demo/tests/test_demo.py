"""`manage.py demo` (what `make run` starts with) builds the demo workspace once."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from rapport.agreements.models import Quote
from rapport.billing.models import Invoice, InvoiceLine
from rapport.clients.models import Client

pytestmark = pytest.mark.django_db


def test_demo_builds_the_workspace_once_and_prints_the_way_in(
    settings: Settings, tmp_path: Path
) -> None:
    settings.BASE_DIR = tmp_path  # the demo password file lands here
    (tmp_path / "var").mkdir()
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "/accounts/login/" in text
    assert "demo@rapport.local" in text
    assert "/p/o/" in text
    assert Client.objects.count() == 3
    quote = Quote.objects.get()
    assert (quote.status, quote.currency, quote.total) == ("sent", "IDR", Decimal(41070000))
    invoice = Invoice.objects.get()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.number == 1
    assert InvoiceLine.objects.filter(invoice=invoice, goodwill=True).count() == 1
    assert invoice.total == 330  # 5.5 billable hours at 60; the goodwill hour at 0

    call_command("demo", stdout=StringIO())
    assert Client.objects.count() == 3
