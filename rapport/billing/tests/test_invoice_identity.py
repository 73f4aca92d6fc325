"""The invoice PDF carries the seller's and the buyer's identification and the tax per rate,
read back from the PDF in Greek and Romanian (P09, P10)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.accounts.business import Identity, identity_clean, workspace_business_update
from rapport.accounts.tests.test_business import png
from rapport.billing.models import Invoice
from rapport.billing.services.invoices import invoice_issue, invoice_line_add
from rapport.clients.models import Client
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona


@pytest.mark.parametrize(
    ("language", "seller", "buyer", "expected"),
    [
        (
            "el",
            Identity(
                legal_name="Αλίκη Παπαδοπούλου",
                street="Ερμού 10",
                postal_code="10563",
                city="Αθήνα",
                country="GR",
                tax_id="094259216",
                tax_office="Α' Αθηνών",
            ),
            Identity(legal_name="Ζαχαροπλαστείο Α.Ε.", country="GR", tax_id="094014201"),
            [
                "ΑΦΜ: 094259216",
                "ΔΟΥ: Α' Αθηνών",
                "Ερμού 10",
                "ΑΦΜ: 094014201",
                "Ζαχαροπλαστείο Α.Ε.",
            ],
        ),
        (
            "ro",
            Identity(
                legal_name="Alice Design SRL",
                street="Str. Ștefan cel Mare 3",
                postal_code="010101",
                city="București",
                country="RO",
                tax_id="18547290",
                trade_register="J40/1234/2020",
                vat_number="RO18547290",
            ),
            Identity(legal_name="Țesătoria Ștefănești SRL", country="RO", tax_id="RO 14399840"),
            [
                "CUI/CIF: 18547290",
                "Nr. Reg. Com.: J40/1234/2020",
                "RO18547290",
                "CUI/CIF: 14399840",
                "Țesătoria Ștefănești SRL",
            ],
        ),
    ],
)
def test_the_pdf_identifies_both_parties_and_taxes_each_rate(
    alice: Persona,
    settings: SettingsWrapper,
    tmp_path: Path,
    language: str,
    seller: Identity,
    buyer: Identity,
    expected: list[str],
) -> None:
    settings.MEDIA_ROOT = tmp_path
    logo = SimpleUploadedFile("logo.png", png(30, 30), content_type="image/png")
    workspace_business_update(
        membership=alice.membership, identity=seller, brand_color="#1f4e79", logo=logo
    )
    client = client_create(
        workspace=alice.workspace, actor=alice.user, name="Client", language=language
    )
    contact_create(client=client, actor=alice.user, name="Eleni", email="e@example.com")
    Client.objects.filter(pk=client.pk).update(**vars(identity_clean(buyer)))
    invoice = Invoice.objects.create(
        workspace=alice.workspace,
        client=client,
        kind="milestone",
        currency="EUR",
        language=language,
    )
    invoice_line_add(
        invoice=invoice, description="A", quantity="1", unit_price="1000", tax_rate="24"
    )
    invoice_line_add(invoice=invoice, description="B", quantity="1", unit_price="100", tax_rate="9")
    invoice = invoice_issue(invoice=invoice, actor=alice.user)
    content = bytes(Invoice.objects.get(pk=invoice.pk).pdf or b"")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for part in expected:
        assert part in text, part
    # One row per rate: 24 % of 1.000,00 and 9 % of 100,00.
    per_rate = text.split("249,00")[-1]  # after the tax total, the rows by rate
    assert re.search(r"9 % 100,00 (€|EUR) 9,00 (€|EUR)", per_rate), per_rate
    assert re.search(r"24 % 1\.000,00 (€|EUR) 240,00 (€|EUR)", per_rate), per_rate
    assert b"/Image" in content  # the logo
