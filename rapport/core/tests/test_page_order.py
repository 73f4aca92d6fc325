"""The hot pages lead with what matters, and their empty cards fold (issue 13, docs/layout.md).

Read as the browser has them, sections loaded after the page in place (core.sections).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.tests.sections import page_with_sections
from rapport.projects.models import Milestone
from rapport.projects.updates import update_send

# A card's opening tag, with its classes and the id of its heading.
CARD = re.compile(r'<section class="(card[^"]*)"[^>]*aria-labelledby="([^"]+)"')


def cards(body: str) -> list[tuple[str, bool]]:
    """Each card of ``body`` in page order: its heading's id, and whether it is folded."""
    return [(heading, "folded" in classes.split()) for classes, heading in CARD.findall(body)]


def order(body: str) -> list[str]:
    return [heading for heading, _folded in cards(body)]


def card(body: str, heading: str) -> str:
    """The HTML of the card headed by ``heading``."""
    start = body.index(f'aria-labelledby="{heading}"')
    return body[start : body.index("</section>", start)]


def test_client_page_leads_with_projects_and_requests(
    alice_http: HttpClient, acme: Client, carol: Contact, design_milestone: Milestone
) -> None:
    request_receive(client=acme, contact=carol, source="phone", subject="New banner", body="-")
    body = page_with_sections(alice_http, reverse("clients:detail", args=[acme.pk]))
    headings = order(body)
    assert headings[:4] == ["projects-h", "requests-h", "commitments-h", "contacts-h"], headings
    assert (
        headings.index("contacts-h") < headings.index("quotes-h") < headings.index("contracts-h-c")
    )
    folded = dict(cards(body))
    assert not folded["projects-h"] and not folded["requests-h"] and not folded["contacts-h"]
    # Nothing quoted or signed yet: those cards are one line each.
    assert folded["quotes-h"] and folded["contracts-h-c"] and folded["briefs-h"]


def test_a_new_clients_empty_cards_fold(alice: Persona, alice_http: HttpClient) -> None:
    beta = client_create(workspace=alice.workspace, actor=alice.user, name="Beta SRL")
    body = page_with_sections(alice_http, reverse("clients:detail", args=[beta.pk]))
    folded = dict(cards(body))
    for heading in ("projects-h", "requests-h", "commitments-h", "contacts-h", "briefs-h"):
        assert folded[heading], f"{heading} is a full card with nothing in it"
    for heading in ("quotes-h", "contracts-h-c", "balance-h", "messages-h"):
        assert folded[heading], f"{heading} is a full card with nothing in it"
    # The way to add the first one stays in the folded card.
    contacts = body[body.index('aria-labelledby="contacts-h"') :]
    assert (
        reverse("clients:contact_create", args=[beta.pk])
        in contacts[: contacts.index("</section>")]
    )


def test_portal_home_leads_with_the_latest_update_and_requests(
    alice: Persona, carol: Contact, design_milestone: Milestone
) -> None:
    from rapport.agreements.quotes.services import quote_send
    from rapport.agreements.tests.quote_fixtures import draft

    project = design_milestone.project
    quote_send(
        quote=draft(alice, project, carol, valid_until=date.today() + timedelta(days=1)),
        actor=alice.user,
    )
    update_send(project=project, actor=alice.user, contacts=[carol], body="Designs ready")
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    body = page_with_sections(http, reverse("portal:home"))
    headings = order(body)
    # "How are we doing?" asks about the latest update, so it follows it (P23).
    assert headings[:3] == ["updates-h", "pulse-h", "requests-h"], headings
    assert headings.index("requests-h") < headings.index("next-h") < headings.index("quotes-h")
    assert headings.index("next-h") < headings.index("changes-h") < headings.index("invoices-h")
    assert body.index("Designs ready") < body.index('id="next-h"')
    folded = dict(cards(body))
    # No requests, no changes, nothing to pay: one line each, with the way to ask.
    assert folded["requests-h"] and folded["changes-h"] and folded["invoices-h"]
    assert not folded["next-h"] and not folded["updates-h"]
    assert reverse("portal:request_new") in card(body, "requests-h")


def test_dashboard_alerts_span_the_page(
    alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    request_receive(client=acme, contact=carol, source="phone", subject="New banner", body="-")
    body = alice_http.get(reverse("dashboard")).content.decode()
    alerts = body.index('aria-labelledby="alerts-h"')
    # The alerts card comes before (outside) the two-column grid.
    assert alerts < body.index('<div class="grid two">')
    assert '<div class="row actions">' in body
