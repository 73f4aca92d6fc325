# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""Business identification on quotes and contracts (PDF, staff and portal pages) and in the
signature of client emails (P07, P10, ADR 0019)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.accounts.business import Identity, identity_clean, workspace_business_update
from rapport.accounts.tests.test_business import png
from rapport.agreements.contracts.services import contract_create_from_quote
from rapport.agreements.tests.contract_fixtures import make_quote, pdf_text
from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    brasov,
    catalogue,
    clock,
    ioana,
    portal_http,
    sent,
    shop,
)
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.notifications.models import Notification
from rapport.projects.models import Project

GREEK_SELLER = Identity(
    legal_name="Αλίκη Παπαδοπούλου",
    street="Ερμού 10",
    postal_code="10563",
    city="Αθήνα",
    country="GR",
    tax_id="094259216",
    tax_office="Α' Αθηνών",
)
ROMANIAN_SELLER = Identity(
    legal_name="Alice Design SRL",
    street="Str. Ștefan cel Mare 3",
    postal_code="010101",
    city="București",
    country="RO",
    tax_id="18547290",
    trade_register="J40/1234/2020",
    vat_number="RO18547290",
)


def _business(alice: Persona, seller: Identity, *, logo: bool = True) -> None:
    upload = SimpleUploadedFile("logo.png", png(30, 30), content_type="image/png")
    workspace_business_update(
        membership=alice.membership,
        identity=seller,
        brand_color="#1f4e79",
        logo=upload if logo else None,
    )


@pytest.fixture
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("language", "seller", "buyer", "expected"),
    [
        (
            "el",
            GREEK_SELLER,
            Identity(legal_name="Ζαχαροπλαστείο Α.Ε.", country="GR", tax_id="094014201"),
            [
                "Αλίκη Παπαδοπούλου",
                "Ερμού 10",
                "ΑΦΜ: 094259216",
                "ΔΟΥ: Α' Αθηνών",
                "ΑΦΜ: 094014201",
            ],
        ),
        (
            "ro",
            ROMANIAN_SELLER,
            Identity(legal_name="Țesătoria Ștefănești SRL", country="RO", tax_id="RO 14399840"),
            [
                "Alice Design SRL",
                "Str. Ștefan cel Mare 3",
                "CUI/CIF: 18547290",
                "Nr. Reg. Com.: J40/1234/2020",
                "Țesătoria Ștefănești SRL",
                "CUI/CIF: 14399840",
            ],
        ),
    ],
)
def test_the_contract_identifies_both_parties_in_pdf_and_pages(
    media: Path,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    language: str,
    seller: Identity,
    buyer: Identity,
    expected: list[str],
) -> None:
    _business(alice, seller)
    Client.objects.filter(pk=acme.pk).update(**vars(identity_clean(buyer)))
    acme.refresh_from_db()
    contract = contract_create_from_quote(
        quote=make_quote(alice, acme, carol, website, language=language), actor=alice.user
    )
    content = bytes(contract.pdf)
    text = pdf_text(content)
    for part in expected:
        assert part in text, part
    assert b"/Subtype/Image" in content  # the logo
    staff = alice_http.get(reverse("agreements:contract_detail", args=[contract.pk]))
    portal = portal_http(carol).get(reverse("portal:sign", args=[contract.pk]))
    for page in (staff.content.decode(), portal.content.decode()):
        for part in expected:
            assert part.replace("'", "&#x27;") in page, part
    assert reverse("portal:business_logo") in portal.content.decode()


def test_a_contract_made_before_identities_reads_as_before(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    """No business details yet: the names alone, no logo, as documents were."""
    contract = contract_create_from_quote(
        quote=make_quote(alice, acme, carol, website), actor=alice.user
    )
    assert contract.data["provider"] == {"name": alice.workspace.name, "address": [], "ids": []}
    assert b"/Subtype/Image" not in bytes(contract.pdf)


def test_the_quote_pages_show_seller_buyer_and_logo(
    media: Path,
    alice: Persona,
    alice_http: HttpClient,
    brasov: Client,
    ioana: Contact,
    catalogue: Project,
) -> None:
    _business(alice, ROMANIAN_SELLER)
    Client.objects.filter(pk=brasov.pk).update(
        **vars(
            identity_clean(Identity(legal_name="Brașov Print SRL", country="RO", tax_id="14399840"))
        )
    )
    quote = sent(alice, catalogue, ioana)
    staff = alice_http.get(reverse("agreements:quote_detail", args=[quote.pk])).content.decode()
    http = portal_http(ioana)
    portal = http.get(reverse("portal:quote", args=[quote.pk])).content.decode()
    for page in (staff, portal):
        assert 'data-testid="parties"' in page
        for part in ("Alice Design SRL", "CUI/CIF: 18547290", "J40/1234/2020", "CUI/CIF: 14399840"):
            assert part in page, part
    assert reverse("accounts:business_logo") in staff
    assert reverse("portal:business_logo") in portal
    logo = http.get(reverse("portal:business_logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo.content.startswith(b"\x89PNG")


def test_the_portal_logo_is_404_without_one_or_without_a_session(
    alice: Persona, carol: Contact
) -> None:
    assert portal_http(carol).get(reverse("portal:business_logo")).status_code == 404
    assert HttpClient().get(reverse("portal:business_logo")).status_code == 404


def test_client_emails_sign_with_the_legal_name_and_address(
    media: Path, alice: Persona, brasov: Client, ioana: Contact, catalogue: Project
) -> None:
    quote = sent(alice, catalogue, ioana)
    before = Notification.objects.get(kind="quote_sent", subject_id=quote.pk)
    assert before.body.rstrip().endswith(alice.workspace.name)  # no legal name yet
    _business(alice, ROMANIAN_SELLER, logo=False)
    quote = sent(alice, catalogue, ioana, title="Second")
    note = Notification.objects.get(kind="quote_sent", subject_id=quote.pk)
    # Romanian reader: the country is named in Romanian.
    signature = "Alice Design SRL\nStr. Ștefan cel Mare 3, 010101 București, România"
    assert note.body.rstrip().endswith(signature), note.body
    assert (
        "Alice Design SRL<br><small>Str. Ștefan cel Mare 3, 010101 București, România</small>"
        in (note.html)
    )
