"""Past clients to win back (P34), loyalty for returning clients (P31) and the staff pages of
keeping in touch: the list ordered by silence, drafts in each language, the offer carried by
the next quote, and outsiders kept out."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.agreements.quotes.services import quote_send
from rapport.agreements.tests.quote_fixtures import draft as quote_draft
from rapport.care.keepintouch import selectors
from rapport.care.keepintouch.drafts import draft_words
from rapport.care.keepintouch.scanner import scan_check_ins_due
from rapport.care.keepintouch.services import loyalty_offer_set, win_back_draft
from rapport.care.models import CheckIn, LoyaltyOffer
from rapport.care.tests.keepintouch_fixtures import DELIVERED, deliver
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification
from rapport.projects.models import Project
from rapport.projects.services import project_create

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _past(alice: Persona, name: str, *, at: datetime, language: str = "en") -> Client:
    """A past client with a contact and one delivered project, last heard of at ``at``."""
    with time_machine.travel(at, tick=False):
        client = client_create(
            workspace=alice.workspace,
            actor=alice.user,
            name=name,
            status=Client.Status.PAST,
            language=language,
        )
        contact_create(
            client=client, actor=alice.user, name=f"{name} contact", email=f"{name}@past.example"
        )
        project = project_create(client=client, actor=alice.user, title=f"{name} site")
    deliver(project, alice, at)
    return client


def test_the_win_back_list_puts_the_longest_silent_first(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    older = _past(alice, "Older", at=datetime(2025, 1, 10, tzinfo=UTC))
    newer = _past(alice, "Newer", at=datetime(2026, 6, 10, tzinfo=UTC))
    middle = _past(alice, "Middle", at=datetime(2024, 5, 10, tzinfo=UTC))
    # Middle wrote to us later than anyone: its silence starts then.
    with time_machine.travel(datetime(2026, 9, 1, tzinfo=UTC), tick=False):
        request_receive(
            client=middle,
            contact=Contact.objects.get(client=middle),
            source="email",
            subject="Hello",
            body="Still there?",
        )
    # A lead and acme (its website still at work) are not past clients.
    client_create(workspace=alice.workspace, actor=alice.user, name="Lead", status="lead")
    rows = selectors.win_back_list(workspace=alice.workspace)
    assert [r.client for r in rows] == [older, newer, middle]
    assert rows[2].last_inbound == datetime(2026, 9, 1, tzinfo=UTC)
    assert rows[2].silent_since == rows[2].last_inbound
    assert rows[0].silent_since is not None and rows[0].draft_id is None


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "a while"), ("el", "καιρός"), ("ro", "vreme"), ("id", "lama")],
)
def test_a_win_back_draft_is_written_in_the_contacts_language(
    alice: Persona, language: str, words: str
) -> None:
    client = _past(alice, "Past", at=datetime(2025, 1, 10, tzinfo=UTC), language=language)
    draft = win_back_draft(client=client, actor=alice.user, now=NOW)
    assert (draft.kind, draft.state, draft.language) == ("win_back", "ready", language)
    assert words in draft.subject + draft.body
    assert "Past site" in draft.body
    # A second click opens the same draft.
    assert win_back_draft(client=client, actor=alice.user).pk == draft.pk
    assert selectors.win_back_list(workspace=alice.workspace)[0].draft_id == draft.pk


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "6 months"), ("el", "6 μήνες"), ("ro", "6 luni"), ("id", "6 bulan")],
)
def test_a_check_in_draft_is_written_in_each_language(
    alice: Persona, acme: Client, language: str, words: str
) -> None:
    project = Project(title="Shop", client=acme)
    _language, subject, body = draft_words(
        kind="check_in",
        contact=None,
        client=Client(name="X", language=language),
        context={"project": project, "months": 6, "workspace_name": "Alice Design"},
    )
    assert _language == language
    assert "Shop" in subject and words in body


def test_a_loyalty_offer_rides_on_the_next_quote(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False):
        again = project_create(client=acme, actor=alice.user, title="Shop", status="active")
        returning = selectors.returning_client(
            workspace=alice.workspace, client_id=acme.pk, exclude_project_id=again.pk
        )
        assert returning is not None
        assert (returning.since, returning.delivered, returning.offer) == (DELIVERED, 1, None)
        offer = loyalty_offer_set(
            client=acme, actor=alice.user, discount_percent=Decimal(10), note="Welcome back"
        )
        quote = quote_draft(alice, again, carol)
    offer.refresh_from_db()
    assert offer.quote_id == quote.pk and offer.applied_at is not None
    # The quote after it carries nothing: the offer was for one quote.
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False):
        later = quote_draft(alice, again, carol)
    assert not LoyaltyOffer.objects.filter(quote=later).exists()
    http = HttpClient()
    http.force_login(alice.user)
    page = http.get(reverse("care:quote_loyalty", args=[quote.pk]), headers={"HX-Request": "1"})
    text = page.content.decode()
    assert page.status_code == 200 and "Welcome back" in text and "10 %" in text
    assert "100.00" in text or "100,00" in text  # 10 % of the 1000.00 subtotal
    # Carol reads the note on the quote in the portal, once it is sent.
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=False):
        quote_send(quote=quote, actor=alice.user)
        _link, token = portal_link_create(contact=carol, actor=None)
        portal = HttpClient()
        portal.post(reverse("portal:open", args=[token]))
        shown = portal.get(reverse("portal:quote", args=[quote.pk])).content.decode()
    assert "Welcome back" in shown


def test_a_first_time_client_is_not_returning_and_offers_are_checked(
    alice: Persona, acme: Client, website: Project
) -> None:
    assert (
        selectors.returning_client(
            workspace=alice.workspace, client_id=acme.pk, exclude_project_id=website.pk
        )
        is None
    )
    for percent, note in ((None, " "), (Decimal(0), ""), (Decimal(101), "")):
        with pytest.raises(ApplicationError) as refused:
            loyalty_offer_set(client=acme, actor=alice.user, discount_percent=percent, note=note)
        assert refused.value.field == "discount_percent"
    loyalty_offer_set(client=acme, actor=alice.user, discount_percent=Decimal(5), note="")
    loyalty_offer_set(client=acme, actor=alice.user, discount_percent=None, note="A gift")
    waiting = LoyaltyOffer.objects.get(client=acme, quote__isnull=True)
    assert (waiting.discount_percent, waiting.note) == (None, "A gift")


def test_the_pages_send_and_skip_in_one_click(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact, website: Project
) -> None:
    deliver(website, alice)
    scan_check_ins_due(datetime(2027, 3, 8, 7, 0, tzinfo=UTC))
    check_in = CheckIn.objects.get(state="ready")
    index = alice_http.get(reverse("care:keep_in_touch")).content.decode()
    assert check_in.subject in index
    page = alice_http.get(reverse("care:check_in_detail", args=[check_in.pk]))
    assert page.status_code == 200 and check_in.body.splitlines()[0] in page.content.decode()
    bad = alice_http.post(
        reverse("care:check_in_detail", args=[check_in.pk]),
        {"contact": carol.pk, "subject": "", "body": "x", "action": "send"},
    )
    assert bad.status_code == 400
    sent = alice_http.post(
        reverse("care:check_in_detail", args=[check_in.pk]),
        {"contact": carol.pk, "subject": check_in.subject, "body": check_in.body},
    )
    assert sent.status_code == 302
    assert Notification.objects.filter(kind="keep_in_touch", contact=carol).count() == 1
    # A win-back draft from the list, skipped from its page.
    past = _past(alice, "Past", at=datetime(2025, 1, 10, tzinfo=UTC))
    opened = alice_http.post(reverse("care:win_back_draft", args=[past.pk]))
    draft = CheckIn.objects.get(kind="win_back", state="ready")
    assert opened["Location"] == reverse("care:check_in_detail", args=[draft.pk])
    alice_http.post(reverse("care:check_in_skip", args=[draft.pk]))
    draft.refresh_from_db()
    assert (draft.state, draft.skip_reason) == ("skipped", "provider")
    assert Notification.objects.filter(kind="keep_in_touch").count() == 1


def test_the_settings_page_sets_the_months(alice: Persona, alice_http: HttpClient) -> None:
    url = reverse("care:keep_in_touch_settings")
    assert alice_http.post(url, {"check_in_months": "2, 4"}).status_code == 302
    alice.workspace.refresh_from_db()
    assert alice.workspace.check_in_months == "2, 4"
    refused = alice_http.post(url, {"check_in_months": "soon"})
    assert refused.status_code == 400 and "check_in_months" in refused.content.decode()


def test_outsiders_see_no_draft_and_cannot_draft(
    alice: Persona, mallory_http: HttpClient, acme: Client, carol: Contact
) -> None:
    draft = win_back_draft(client=acme, actor=alice.user)
    assert mallory_http.get(reverse("care:check_in_detail", args=[draft.pk])).status_code == 404
    assert mallory_http.post(reverse("care:win_back_draft", args=[acme.pk])).status_code == 404
    listing = mallory_http.get(reverse("care:keep_in_touch")).content.decode()
    assert "Acme" not in listing and draft.subject not in listing
    assert CheckIn.objects.filter(client=acme).count() == 1
