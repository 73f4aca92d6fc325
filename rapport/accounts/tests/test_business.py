"""Settings → Business (P09, P10): the owner's legal identity, checked tax ids, logo, colour."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.accounts import business
from rapport.accounts.models import Membership, User, Workspace
from rapport.conftest import PASSWORD, Persona
from rapport.core.errors import ApplicationError


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour (no image library needed)."""
    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def post(http: HttpClient, **data: object) -> object:
    form = {f"biz-{k}": v for k, v in data.items()}
    return http.post(reverse("accounts:business_save"), form)


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("GR", "094259216", "094259216"),
        ("RO", "RO 185 472 90", "18547290"),
        ("RO", "1630615123457", "1630615123457"),  # a person's CNP as their CIF
        ("ID", "013000666091000", "01.300.066.6-091.000"),
        ("FR", "anything 123", "anything 123"),  # no national rule: kept as typed
    ],
)
def test_tax_ids_are_checked_by_country(country: str, typed: str, stored: str) -> None:
    clean = business.identity_clean(business.Identity(country=country, tax_id=typed))
    assert clean.tax_id == stored


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"country": "GR", "tax_id": "094259217"}, "tax_id"),
        ({"country": "RO", "tax_id": "18547291"}, "tax_id"),
        ({"country": "ID", "tax_id": "013000667091000"}, "tax_id"),
        ({"vat_number": "EL094259217"}, "vat_number"),
        ({"country": "RO", "trade_register": "40/1234"}, "trade_register"),
        ({"country": "RO", "tax_office": "Α' Αθηνών"}, "tax_office"),
        ({"country": "Greece"}, "country"),
        ({"legal_name": "x" * 201}, "legal_name"),
    ],
)
def test_bad_identities_name_the_field(fields: dict[str, str], bad: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        business.identity_clean(business.Identity(**fields))
    assert caught.value.field == bad


def test_the_owner_saves_the_business_and_its_logo(alice: Persona, alice_http: HttpClient) -> None:
    logo = SimpleUploadedFile("logo.png", png(40, 20), content_type="image/png")
    response = post(
        alice_http,
        legal_name="Alice Papadopoulou",
        street="Ermou 10",
        postal_code="10563",
        city="Athens",
        country="GR",
        tax_id="094259216",
        tax_office="Α' Αθηνών",
        vat_number="EL 094259216",
        brand_color="#1F4E79",
        logo=logo,
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    ws = Workspace.objects.get(pk=alice.workspace.pk)
    assert (ws.legal_name, ws.tax_id, ws.vat_number, ws.brand_color) == (
        "Alice Papadopoulou",
        "094259216",
        "EL094259216",
        "#1f4e79",
    )
    served = alice_http.get(reverse("accounts:business_logo"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served.content == png(40, 20)
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    assert "Alice Papadopoulou" in page and reverse("accounts:business_logo") in page


def test_a_bad_tax_id_changes_nothing_and_names_the_field(
    alice: Persona, alice_http: HttpClient
) -> None:
    response = post(alice_http, legal_name="Changed", country="RO", tax_id="18547291")
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert 'id="id_biz-tax_id"' in body and "not a valid tax id" in body
    assert Workspace.objects.get(pk=alice.workspace.pk).legal_name == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 40, "PNG or JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG or JPEG"),
        (png(8, 8), "between 16 and 4000"),
        (png(20, 20) + b"\x00" * (512 * 1024), "512 KB"),
    ],
)
def test_a_bad_logo_is_refused(
    alice: Persona, alice_http: HttpClient, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = post(alice_http, legal_name="Alice", logo=upload)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Workspace.objects.get(pk=alice.workspace.pk).logo


def test_a_member_reads_but_cannot_save(alice: Persona) -> None:
    Workspace.objects.filter(pk=alice.workspace.pk).update(legal_name="Alice Design SRL")
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    http = HttpClient()
    http.force_login(bob)
    page = http.get(reverse("accounts:settings")).content.decode()
    assert "Alice Design SRL" in page and reverse("accounts:business_save") not in page
    assert post(http, legal_name="Bob's").status_code in (403, 400)  # type: ignore[attr-defined]
    assert Workspace.objects.get(pk=alice.workspace.pk).legal_name == "Alice Design SRL"


def test_another_workspace_never_sees_the_logo(
    alice: Persona, mallory_http: HttpClient, alice_http: HttpClient
) -> None:
    upload = SimpleUploadedFile("logo.png", png(20, 20), content_type="image/png")
    assert post(alice_http, logo=upload).status_code == 302  # type: ignore[attr-defined]
    assert mallory_http.get(reverse("accounts:business_logo")).status_code == 404
