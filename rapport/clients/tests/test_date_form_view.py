"""A contact card's "add an important date" form: asked for with htmx, or a page of its own."""

from __future__ import annotations

import re

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client, Contact, ImportantDate
from rapport.clients.services import contact_create
from rapport.conftest import Persona

HTMX = {"HX-Request": "true"}


def test_client_page_links_each_card_to_its_form_without_rendering_it(
    alice_http: HttpClient, alice: Persona, acme: Client, carol: Contact
) -> None:
    dimitris = contact_create(client=acme, actor=alice.user, name="Dimitris", email="d@acme.test")
    body = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    for contact in (carol, dimitris):
        url = reverse("clients:important_date_add", args=[contact.pk])
        assert f'href="{url}" hx-get="{url}"' in body
        assert f'id="date-{contact.pk}-day"' not in body


def test_htmx_asks_for_the_form_alone_with_the_contacts_own_ids(
    alice_http: HttpClient, carol: Contact
) -> None:
    url = reverse("clients:important_date_add", args=[carol.pk])
    page = alice_http.get(url, headers=HTMX)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" not in body
    assert f'hx-post="{url}"' in body
    assert f'<label for="date-{carol.pk}-day"' in body and f'id="date-{carol.pk}-day"' in body
    # The form takes the place of the link that was followed: its first field takes the focus.
    assert re.search(r'<select name="kind"[^>]* autofocus', body)


def test_without_javascript_the_form_is_a_page(alice_http: HttpClient, carol: Contact) -> None:
    page = alice_http.get(reverse("clients:important_date_add", args=[carol.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" in body and carol.name in body
    assert f'id="date-{carol.pk}-day"' in body and "hx-post" not in body


def test_htmx_saves_the_date_and_reloads_the_client_page(
    alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    url = reverse("clients:important_date_add", args=[carol.pk])
    data = {"kind": "birthday", "day": "14", "month": "3"}
    page = alice_http.post(url, data, headers=HTMX)
    assert page.status_code == 200
    assert page["HX-Redirect"] == reverse("clients:detail", args=[acme.pk])
    assert ImportantDate.objects.filter(contact=carol, month=3, day=14).exists()
    follow = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    assert "Date saved." in follow and "14/3" in follow


def test_htmx_gets_the_form_back_with_its_errors(alice_http: HttpClient, carol: Contact) -> None:
    url = reverse("clients:important_date_add", args=[carol.pk])
    # The service refuses a day the month does not have: the error sits on the day field.
    page = alice_http.post(url, {"kind": "birthday", "day": "30", "month": "2"}, headers=HTMX)
    assert page.status_code == 200  # htmx swaps only a 2xx answer
    body = page.content.decode()
    assert "<html" not in body and f'hx-post="{url}"' in body
    assert "This month has no day 30." in body
    assert f'id="date-{carol.pk}-day_error"' in body
    assert 'value="30"' in body
    assert not ImportantDate.objects.filter(contact=carol).exists()


def test_without_javascript_errors_come_back_on_the_page_as_400(
    alice_http: HttpClient, carol: Contact
) -> None:
    url = reverse("clients:important_date_add", args=[carol.pk])
    page = alice_http.post(url, {"kind": "", "day": "1", "month": "1"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "<html" in body and "This field is required." in body
    assert not ImportantDate.objects.filter(contact=carol).exists()


def test_without_javascript_a_saved_date_redirects_to_the_client(
    alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    url = reverse("clients:important_date_add", args=[carol.pk])
    page = alice_http.post(url, {"kind": "birthday", "day": "1", "month": "5"})
    assert page.status_code == 302
    assert page["Location"] == reverse("clients:detail", args=[acme.pk])


def test_another_workspace_gets_404(mallory_http: HttpClient, carol: Contact) -> None:
    url = reverse("clients:important_date_add", args=[carol.pk])
    assert mallory_http.get(url, headers=HTMX).status_code == 404
    assert mallory_http.get(url).status_code == 404
    data = {"kind": "birthday", "day": "1", "month": "5"}
    assert mallory_http.post(url, data, headers=HTMX).status_code == 404
    assert not ImportantDate.objects.filter(contact=carol).exists()
