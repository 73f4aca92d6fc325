# ruff: noqa: F811  (pytest fixtures imported from quote_fixtures)
"""Quote pages: the staff editor, sending, new versions, the list; the portal page where the
client accepts or declines; tenancy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from rapport.accounts.models import Membership
from rapport.agreements.models import Quote
from rapport.agreements.quotes import services as quotes
from rapport.agreements.quotes.inputs import quote_input_of
from rapport.agreements.tests.quote_fixtures import (  # noqa: F401 (fixtures)
    TODAY,
    brasov,
    catalogue,
    clock,
    draft,
    ioana,
    portal_http,
    sent,
    shop,
)
from rapport.clients.models import Contact
from rapport.conftest import Persona
from rapport.core.tests.sections import page_with_sections
from rapport.notifications.models import Notification
from rapport.projects.models import Project
from rapport.projects.services import milestone_create, project_update


def editor_post(contact: Contact, **extra: Any) -> dict[str, Any]:
    data = {
        "contact": contact.pk,
        "title": "New shop",
        "summary": "Sell online",
        "currency": "EUR",
        "language": "el",
        "valid_until": (TODAY + dt.timedelta(days=10)).isoformat(),
        "out_of_scope": "Hosting",
        "revision_free_rounds": "2",
        "revision_hourly_rate": "55",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-kind": "fixed",
        "lines-0-description": "Design",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "1 000,00",
        "lines-0-tax_rate": "24",
        "lines-1-kind": "fixed",  # an empty extra row is ignored
        "deliverables-TOTAL_FORMS": "1",
        "deliverables-INITIAL_FORMS": "0",
        "deliverables-0-title": "Layouts",
        "deliverables-0-spec": "Home, product, cart",
        "deliverables-0-format": ".fig",
        "stages-TOTAL_FORMS": "2",
        "stages-INITIAL_FORMS": "0",
        "stages-0-kind": "deposit",
        "stages-0-percent": "30",
        "stages-1-kind": "final",
        "stages-1-percent": "70",
    }
    data.update(extra)
    return data


def test_prepare_a_quote_from_the_project_page(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    # The project page's quotes card, loaded after the page.
    card = reverse("agreements:project_quotes", args=[shop.pk])
    page = alice_http.get(reverse("projects:detail", args=[shop.pk]))
    assert f'hx-get="{card}"' in page.content.decode()
    section = alice_http.get(card, headers={"HX-Request": "true"})
    assert reverse("agreements:quote_create", args=[shop.pk]) in section.content.decode()
    form = alice_http.get(reverse("agreements:quote_create", args=[shop.pk]))
    body = form.content.decode()
    assert form.status_code == 200
    assert '<option value="EUR" selected>' in body  # the project's currency, from the list
    assert f'<option value="{carol.pk}" selected>' in body
    assert "Copywriting" in body  # out of scope, from the project
    response = alice_http.post(
        reverse("agreements:quote_create", args=[shop.pk]), editor_post(carol)
    )
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:quote_detail", args=[quote.pk])
    assert str(quote.total) == "1240.0000"
    assert [str(s.amount) for s in quote.stages.all()] == ["372.0000", "868.0000"]
    assert quote.deliverables.get().format == ".fig"
    detail = alice_http.get(response["Location"]).content.decode()
    assert "1,240.00" in detail


def test_a_refusal_lands_on_the_field_and_writes_nothing(
    alice_http: HttpClient, carol: Contact, shop: Project
) -> None:
    response = alice_http.post(
        reverse("agreements:quote_create", args=[shop.pk]),
        editor_post(carol, **{"lines-0-unit_price": "-3", "stages-1-percent": "60"}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 1, unit price: The amount cannot be negative." in body
    assert not Quote.objects.exists()
    response = alice_http.post(
        reverse("agreements:quote_create", args=[shop.pk]),
        editor_post(carol, **{"stages-1-percent": "60"}),
    )
    assert response.status_code == 400
    assert "The payment schedule adds up to €1,116.00, the total is €1,240.00." in (
        response.content.decode()
    )
    assert not Quote.objects.exists()


def test_edit_a_draft_then_send_it(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = draft(alice, shop, carol)
    page = alice_http.get(reverse("agreements:quote_edit", args=[quote.pk]))
    assert 'value="1000"' in page.content.decode()
    response = alice_http.post(
        reverse("agreements:quote_edit", args=[quote.pk]),
        editor_post(carol, **{"lines-0-unit_price": "2000"}),
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert str(quote.total) == "2480.0000"
    response = alice_http.post(reverse("agreements:quote_send", args=[quote.pk]))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    assert Notification.objects.filter(kind="quote_sent", contact=carol).count() == 1
    # A sent quote is a record: the editor sends the provider back to the quote.
    response = alice_http.get(reverse("agreements:quote_edit", args=[quote.pk]))
    assert response.status_code == 302


def test_add_a_row_without_a_page_load(
    alice_http: HttpClient, shop: Project, alice: Persona
) -> None:
    milestone_create(
        project=shop, actor=alice.user, title="Designs", due_date=TODAY + dt.timedelta(days=10)
    )
    response = alice_http.get(
        reverse("agreements:quote_row", args=[shop.pk]),
        {"kind": "stages", "stages-TOTAL_FORMS": "2"},
    )
    body = response.content.decode()
    assert 'name="stages-2-percent"' in body
    assert "Designs" in body
    assert 'name="stages-TOTAL_FORMS" value="3"' in body and 'hx-swap-oob="true"' in body
    missing = alice_http.get(reverse("agreements:quote_row", args=[shop.pk]), {"kind": "x"})
    assert missing.status_code == 404


def test_the_quote_page_shows_the_load_before_sending(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    Membership.objects.filter(pk=alice.membership.pk).update(weekly_capacity_hours=20)
    project_update(project=shop, actor=alice.user, estimated_hours=270)  # 30 h a week
    quote = draft(alice, shop, carol)
    body = alice_http.get(reverse("agreements:quote_detail", args=[quote.pk])).content.decode()
    assert "Can you take it on?" in body
    assert "Over capacity" in body
    assert "270" in body
    assert "hours booked for 20 available" in body


def test_new_version_from_the_quote_page(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    response = alice_http.post(reverse("agreements:quote_new_version", args=[quote.pk]))
    new = Quote.objects.get(version=2)
    assert response["Location"] == reverse("agreements:quote_edit", args=[new.pk])
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SUPERSEDED


def test_quote_list_filters_and_pages(
    alice_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    for _ in range(3):
        draft(alice, shop, carol)
    sent(alice, shop, carol, title="Sent one")
    body = alice_http.get(reverse("agreements:quote_list") + "?status=sent").content.decode()
    assert "Sent one" in body and "Q-1" not in body
    body = alice_http.get(reverse("agreements:quote_list")).content.decode()
    assert "4 quotes" in body
    client_page = alice_http.get(reverse("clients:detail", args=[shop.client_id]))
    assert "Q-4" in client_page.content.decode()


def test_mallory_sees_none_of_it(
    mallory_http: HttpClient, alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    for name, args in [
        ("agreements:quote_detail", [quote.pk]),
        ("agreements:quote_edit", [quote.pk]),
        ("agreements:quote_create", [shop.pk]),
        ("agreements:quote_row", [shop.pk]),
    ]:
        assert mallory_http.get(reverse(name, args=args)).status_code == 404
    for name in ("agreements:quote_send", "agreements:quote_new_version"):
        assert mallory_http.post(reverse(name, args=[quote.pk])).status_code == 404
    assert "New shop" not in mallory_http.get(reverse("agreements:quote_list")).content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


# --- Portal -----------------------------------------------------------------------------------


def test_the_link_in_the_message_opens_on_the_quote(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    body = Notification.objects.get(kind="quote_sent").body
    url = next(word for word in body.split() if "/o/" in word)
    from django.test import Client as HttpClient

    http = HttpClient()
    path = url.split("8000", 1)[1]
    assert http.get(path).status_code == 200  # the confirm page; a mail scanner stops here
    response = http.post(path)
    assert response["Location"] == reverse("portal:quote", args=[quote.pk])
    page = http.get(response["Location"])
    assert page["Content-Language"] == "el"
    text = page.content.decode()
    assert "1.240,00" in text  # money in the contact's locale
    assert "Hosting" in text


def test_portal_accept_needs_the_confirmation(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    quote = sent(alice, shop, carol)
    http = portal_http(carol)
    response = http.post(reverse("portal:quote_accept", args=[quote.pk]))
    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    response = http.post(reverse("portal:quote_accept", args=[quote.pk]), {"confirm": "on"})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    again = http.post(reverse("portal:quote_accept", args=[quote.pk]), {"confirm": "on"})
    assert again.status_code == 409


def test_portal_decline_with_feedback(alice: Persona, carol: Contact, shop: Project) -> None:
    quote = sent(alice, shop, carol)
    http = portal_http(carol)
    response = http.post(reverse("portal:quote_decline", args=[quote.pk]), {"feedback": ""})
    assert response.status_code == 400
    response = http.post(
        reverse("portal:quote_decline", args=[quote.pk]), {"feedback": "We need it by March"}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.status, quote.feedback) == (Quote.Status.DECLINED, "We need it by March")


def test_portal_shows_only_the_current_version_and_refuses_the_old(
    alice: Persona, carol: Contact, shop: Project
) -> None:
    old = sent(alice, shop, carol, title="Old offer")
    new = quotes.quote_new_version(quote=old, actor=alice.user)
    quotes.quote_update(
        quote=new,
        actor=alice.user,
        data=quote_input_of(new).__class__(
            **{**quote_input_of(new).__dict__, "title": "Better offer"}
        ),
    )
    http = portal_http(carol)
    home = page_with_sections(http, reverse("portal:home"))
    assert "Old offer" in home  # the draft is not shown: the old one is still the latest seen
    quotes.quote_send(quote=new, actor=alice.user)
    home = page_with_sections(http, reverse("portal:home"))
    assert "Better offer" in home and "Old offer" not in home
    page = http.get(reverse("portal:quote", args=[old.pk])).content.decode()
    assert reverse("portal:quote", args=[new.pk]) in page
    response = http.post(reverse("portal:quote_accept", args=[old.pk]), {"confirm": "on"})
    assert response.status_code == 409
    with translation.override("el"):  # carol reads Greek
        replaced = gettext(
            "This version was replaced by a newer one; please look at the current version."
        )
    assert "replaced by a newer one" not in replaced
    assert escape(replaced) in response.content.decode()


def test_another_clients_contact_gets_404(
    alice: Persona, carol: Contact, shop: Project, ioana: Contact
) -> None:
    quote = sent(alice, shop, carol)
    unseen = draft(alice, shop, carol)
    http = portal_http(ioana)
    assert http.get(reverse("portal:quote", args=[quote.pk])).status_code == 404
    assert (
        http.post(reverse("portal:quote_accept", args=[quote.pk]), {"confirm": "on"}).status_code
        == 404
    )
    assert (
        http.post(reverse("portal:quote_decline", args=[quote.pk]), {"feedback": "x"}).status_code
        == 404
    )
    assert "New shop" not in page_with_sections(http, reverse("portal:home"))
    # carol never sees a draft
    assert portal_http(carol).get(reverse("portal:quote", args=[unseen.pk])).status_code == 404
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
