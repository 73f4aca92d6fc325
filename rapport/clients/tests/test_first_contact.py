"""The new-client page: the client, its billing identity and its first contact in one form,
written all or nothing, each refusal on its own field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.business import Identity
from rapport.clients.first_contact import client_create_with_contact
from rapport.clients.models import Client, Contact
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError


def _form(**extra: str) -> dict[str, str]:
    data = {
        "name": "Studio Nord",
        "kind": "company",
        "status": "lead",
        "language": "ro",
        "timezone": "Europe/Bucharest",
        "currency": "RON",
        "contact-name": "Ioana Popescu",
        "contact-email": "ioana@nord.example",
        "contact-preferred_channel": "email",
        "contact-language": "",
        "contact-timezone": "",
    }
    return data | extra


def _post(http: HttpClient, **extra: str) -> Any:
    return http.post(reverse("clients:create"), _form(**extra))


def _errors(response: Any, form: str) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in response.context[form].errors.items()}


def test_new_client_page_asks_for_the_contact_and_billing_details(
    alice_http: HttpClient,
) -> None:
    body = alice_http.get(reverse("clients:create")).content.decode()
    for name in ("contact-name", "contact-email", "contact-timezone", "billing-tax_id"):
        assert f'name="{name}"' in body
    # Lists, not typed codes; the language suggests currency and zone.
    assert 'name="currency" data-currency' in body or 'data-currency="" name="currency"' in body
    assert "data-suggest=" in body and "Europe/Bucharest" in body


def test_client_and_contact_created_together(alice: Persona, alice_http: HttpClient) -> None:
    response = _post(alice_http)
    assert response.status_code == 302
    client = Client.objects.get(workspace=alice.workspace, name="Studio Nord")
    contact = Contact.objects.get(client=client)
    assert (contact.name, contact.email) == ("Ioana Popescu", "ioana@nord.example")
    assert contact.effective_timezone == "Europe/Bucharest"
    assert client.currency == "RON"


def test_contact_part_is_optional(alice: Persona, alice_http: HttpClient) -> None:
    response = _post(alice_http, **{"contact-name": "", "contact-email": ""})
    assert response.status_code == 302
    client = Client.objects.get(workspace=alice.workspace, name="Studio Nord")
    assert not client.contacts.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"contact-email": "not-an-email"}, "email"),
        ({"contact-name": ""}, "name"),
        ({"contact-preferred_channel": "phone"}, "phone"),
        ({"contact-timezone": "Asia/Calcutta"}, "timezone"),
    ],
)
def test_a_refused_contact_leaves_no_client(
    alice: Persona, alice_http: HttpClient, extra: dict[str, str], field: str
) -> None:
    response = _post(alice_http, **extra)
    assert response.status_code == 400
    assert field in _errors(response, "contact_form")
    assert not _errors(response, "form")
    assert not Client.objects.filter(workspace=alice.workspace, name="Studio Nord").exists()
    assert not Contact.objects.filter(email="ioana@nord.example").exists()


def test_service_names_the_contacts_field(alice: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        client_create_with_contact(
            workspace=alice.workspace,
            actor=alice.user,
            name="Nord",
            contact={"email": "ioana@nord.example"},  # an address without a name
        )
    assert "contact.name" in exc.value.as_dict()
    assert not Client.objects.filter(name="Nord").exists()


@pytest.mark.parametrize(
    ("country", "tax_id", "stored"),
    [
        ("GR", "094259216", "094259216"),
        ("RO", "RO 185 472 90", "18547290"),
        ("ID", "013000666091000", "01.300.066.6-091.000"),
    ],
)
def test_billing_tax_id_checked_by_country(
    alice: Persona, alice_http: HttpClient, country: str, tax_id: str, stored: str
) -> None:
    response = _post(
        alice_http,
        **{"billing-legal_name": "Nord SRL", "billing-country": country, "billing-tax_id": tax_id},
    )
    assert response.status_code == 302, response.context and _errors(response, "identity_form")
    client = Client.objects.get(workspace=alice.workspace, name="Studio Nord")
    assert (client.legal_name, client.country, client.tax_id) == ("Nord SRL", country, stored)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"billing-country": "GR", "billing-tax_id": "094259217"}, "tax_id"),
        ({"billing-country": "RO", "billing-tax_id": "18547291"}, "tax_id"),
        ({"billing-country": "ID", "billing-tax_id": "013000667091000"}, "tax_id"),
        ({"billing-vat_number": "EL094259217"}, "vat_number"),
        ({"billing-country": "RO", "billing-trade_register": "J40-12"}, "trade_register"),
    ],
)
def test_bad_billing_details_are_refused_on_their_field(
    alice: Persona, alice_http: HttpClient, extra: dict[str, str], field: str
) -> None:
    response = _post(alice_http, **extra)
    assert response.status_code == 400
    assert field in _errors(response, "identity_form")
    assert not Client.objects.filter(workspace=alice.workspace, name="Studio Nord").exists()


def test_edit_saves_billing_details_or_leaves_them(alice_http: HttpClient, acme: Client) -> None:
    url = reverse("clients:edit", args=[acme.pk])
    base = {
        "name": acme.name,
        "kind": acme.kind,
        "status": acme.status,
        "language": "el",
        "timezone": "Europe/Athens",
        "currency": "EUR",
        "account_owner": str(acme.account_owner_id),
        "billing-country": "GR",
        "billing-legal_name": "Acme ΑΕ",
    }
    refused = alice_http.post(url, base | {"billing-tax_id": "123"})
    assert refused.status_code == 400
    assert "tax_id" in _errors(refused, "identity_form")
    acme.refresh_from_db()
    assert acme.legal_name == ""
    saved = alice_http.post(url, base | {"billing-tax_id": "094259216"})
    assert saved.status_code == 302
    acme.refresh_from_db()
    assert (acme.legal_name, acme.tax_id) == ("Acme ΑΕ", "094259216")
    assert 'value="094259216"' in alice_http.get(url).content.decode()


def test_service_takes_an_identity(alice: Persona) -> None:
    client, contact = client_create_with_contact(
        workspace=alice.workspace,
        actor=alice.user,
        name="Nord",
        identity=Identity(country="RO", tax_id="18547290", trade_register="J40/1234/2020"),
    )
    assert contact is None
    assert (client.tax_id, client.trade_register) == ("18547290", "J40/1234/2020")


def test_outsider_cannot_edit_anothers_client(mallory_http: HttpClient, acme: Client) -> None:
    url = reverse("clients:edit", args=[acme.pk])
    assert mallory_http.get(url).status_code == 404
    assert mallory_http.post(url, {"name": "x", "billing-tax_id": "1"}).status_code == 404
