"""Every page runs a fixed number of queries whatever the amount of data (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.agreements.models import Document, Quote
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create, portal_link_send
from rapport.clients.services import client_create, contact_create, important_date_add
from rapport.commitments.services import commitment_cancel, promise_create
from rapport.conftest import Persona
from rapport.conversations.models import InboundEmail
from rapport.conversations.services import request_receive
from rapport.projects.models import ChangeRequest, Deliverable, Milestone, Project
from rapport.projects.services import deliverable_create, milestone_create, project_create
from rapport.projects.updates import update_send


def _grow(alice: Persona, acme: Client, website: Project, n: int, start: int = 0) -> None:
    """Add ``n`` more of everything the pages list."""
    assert website.start_date is not None
    for i in range(start, start + n):
        client = client_create(
            workspace=alice.workspace, actor=alice.user, name=f"Client {i}", industry_tags=["x"]
        )
        contact_create(
            client=client, actor=alice.user, name=f"Person {i}", email=f"p{i}@example.com"
        )
        extra = contact_create(
            client=acme, actor=alice.user, name=f"Acme person {i}", email=f"a{i}@acme.example"
        )
        important_date_add(contact=extra, kind="birthday", month=1 + i % 12, day=1)
        project = project_create(client=acme, actor=alice.user, title=f"Project {i}")
        project_create(client=client, actor=alice.user, title=f"Their project {i}")
        milestone = milestone_create(
            project=website,
            actor=alice.user,
            title=f"Step {i}",
            due_date=website.start_date + timedelta(days=10 + i % 5),
        )
        deliverable_create(
            milestone=milestone, actor=alice.user, title=f"D{i}", spec="spec", format=".pdf"
        )
        assert project.pk
        # The engine's rows: a request (alert, commitment, notification) and a promise.
        request_receive(client=acme, contact=extra, source="phone", subject=f"Ask {i}", body="x")
        promise_create(
            client=acme,
            actor=alice.user,
            wording=f"Promise {i}",
            due_at=timezone.now() + timedelta(days=2),
        )
        # A cancelled promise: listed, counted, and in the client's portal to agree to.
        commitment_cancel(
            commitment=promise_create(
                client=acme,
                actor=alice.user,
                wording=f"Dropped {i}",
                due_at=timezone.now() + timedelta(days=2),
            ),
            actor=alice.user,
            reason="No longer needed",
        )
        update_send(project=website, actor=alice.user, contacts=[extra], body=f"Update {i}")
        InboundEmail.objects.create(
            workspace=alice.workspace, received_at=timezone.now(), sender=f"s{i}@x.example"
        )


# How htmx asks for a section of a page (core.sections).
HTMX = {"HX-Request": "true"}


def _count(http: HttpClient, url: str, headers: dict[str, str] | None = None) -> int:
    return _count_with_counts(http, url, headers)[0]


def _count_with_counts(
    http: HttpClient, url: str, headers: dict[str, str] | None = None
) -> tuple[int, int]:
    """The queries of a GET, and how many of them are a ``COUNT(*)``."""
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url, headers=headers or {})
    assert response.status_code == 200, url
    counts = sum('COUNT(*) AS "__count"' in q["sql"] for q in ctx.captured_queries)
    return len(ctx.captured_queries), counts


PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("dashboard", lambda o: reverse("dashboard")),
    ("clients", lambda o: reverse("clients:list")),
    ("clients-search", lambda o: reverse("clients:list") + "?q=acme&status=active"),
    ("client-timeline", lambda o: reverse("clients:timeline", args=[o["acme"].pk])),
    ("client", lambda o: reverse("clients:detail", args=[o["acme"].pk])),
    ("projects", lambda o: reverse("projects:list")),
    ("project", lambda o: reverse("projects:detail", args=[o["website"].pk])),
    ("settings", lambda o: reverse("accounts:settings")),
    ("client-edit", lambda o: reverse("clients:edit", args=[o["acme"].pk])),
    ("client-create", lambda o: reverse("clients:create")),
    ("alerts", lambda o: reverse("notifications:alerts")),
    ("requests", lambda o: reverse("conversations:inbox")),
    ("requests-done", lambda o: reverse("conversations:inbox") + "?state=done"),
    ("commitments", lambda o: reverse("commitments:ledger")),
    ("commitments-all", lambda o: reverse("commitments:ledger") + "?state="),
    ("update-compose", lambda o: reverse("projects:update_compose", args=[o["website"].pk])),
    ("delay-notice", lambda o: reverse("projects:delay_notice", args=[o["milestone"].pk])),
    ("milestone-edit", lambda o: reverse("projects:milestone_edit", args=[o["milestone"].pk])),
    ("unmatched", lambda o: reverse("conversations:unmatched")),
    ("invoices", lambda o: reverse("billing:invoice_list")),
    ("payment-methods", lambda o: reverse("billing:payment_methods")),
    ("brief-templates", lambda o: reverse("clients:brief_templates")),
    (
        "screening",
        lambda o: (
            reverse("clients:screening", args=[o["acme"].pk])
            + "?hours=80&start=2026-11-23&due=2026-12-20"
        ),
    ),
]


@pytest.mark.parametrize(("label", "url_for"), PAGES, ids=[p[0] for p in PAGES])
def test_staff_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[dict[str, Any]], str],
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    objects = {"acme": acme, "website": website, "milestone": design_milestone}
    _grow(alice, acme, website, 1, start=100)  # every list has a row: then it must not grow
    small, small_counts = _count_with_counts(alice_http, url_for(objects))
    _grow(alice, acme, website, 12)
    large, large_counts = _count_with_counts(alice_http, url_for(objects))
    # A list counts its rows only once they outgrow the first page (core.pagination): one
    # COUNT more at most; every other query the same.
    assert large - large_counts == small - small_counts, (
        f"{label}: {small} queries with little data, {large} with more"
    )
    assert large_counts - small_counts in (0, 1)
    assert large <= 15


# The sections the hot pages load after they are shown (core.sections).
SECTIONS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("dashboard-activity", lambda o: reverse("dashboard_activity")),
    ("client-quotes", lambda o: reverse("agreements:client_quotes", args=[o["acme"].pk])),
    ("client-contracts", lambda o: reverse("agreements:client_contracts", args=[o["acme"].pk])),
    ("client-balance", lambda o: reverse("billing:client_balance", args=[o["acme"].pk])),
    ("client-messages", lambda o: reverse("clients:messages", args=[o["acme"].pk])),
    ("client-timeline-recent", lambda o: reverse("clients:recent_timeline", args=[o["acme"].pk])),
    ("project-quotes", lambda o: reverse("agreements:project_quotes", args=[o["website"].pk])),
    (
        "project-contracts",
        lambda o: reverse("agreements:project_contracts", args=[o["website"].pk]),
    ),
    ("project-changes", lambda o: reverse("agreements:project_changes", args=[o["website"].pk])),
    ("project-billing", lambda o: reverse("billing:project_billing", args=[o["website"].pk])),
    # A card's form, fetched when the card's link is followed.
    ("date-form", lambda o: reverse("clients:important_date_add", args=[o["carol"].pk])),
    (
        "deliverable-form",
        lambda o: reverse("projects:deliverable_create", args=[o["milestone"].pk]),
    ),
]


@pytest.mark.parametrize("page", ["home", "project"])
def test_portal_page_queries_do_not_grow(
    page: str,
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = reverse("portal:home") if page == "home" else reverse("portal:project", args=[website.pk])
    small = _count(http, url)
    _grow(alice, acme, website, 12)
    large = _count(http, url)
    assert large == small
    assert large <= 15


PORTAL_SECTIONS = [
    "home_briefs",
    "home_quotes",
    "home_signing",
    "home_invoices",
    "home_updates",
    "home_cancellations",
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.parametrize("section", PORTAL_SECTIONS)
def test_portal_section_queries_do_not_grow(
    section: str,
    htmx: bool,
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    """A section of the portal home, as htmx asks for it and as a page of its own."""
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = reverse(f"portal:{section}")
    headers = HTMX if htmx else None
    small = _count(http, url, headers)
    _grow(alice, acme, website, 12)
    large = _count(http, url, headers)
    assert large == small
    assert large <= 15


def _grow_quotes(alice: Persona, carol: Contact, website: Project, n: int) -> None:
    """``n`` more quotes, each with more lines, deliverables and payments."""
    from rapport.agreements.quotes.inputs import DeliverableInput, LineInput
    from rapport.agreements.quotes.services import quote_create, quote_send
    from rapport.agreements.tests.quote_fixtures import quote_input

    for i in range(n):
        quote = quote_create(
            project=website,
            actor=alice.user,
            data=quote_input(
                carol,
                valid_until=timezone.localdate() + timedelta(days=20),
                lines=[LineInput(description=f"L{i}-{j}", unit_price="10") for j in range(3)],
                deliverables=[DeliverableInput(title=f"D{i}", spec="s", format=".pdf")] * 2,
            ),
        )
        quote_send(quote=quote, actor=alice.user)


QUOTE_PAGES: list[tuple[str, Callable[[Quote], str]]] = [
    ("quotes", lambda q: reverse("agreements:quote_list")),
    ("quotes-sent", lambda q: reverse("agreements:quote_list") + "?status=sent"),
    ("quote-draft", lambda q: reverse("agreements:quote_detail", args=[q.pk])),
    ("quote-edit", lambda q: reverse("agreements:quote_edit", args=[q.pk])),
    ("quote-create", lambda q: reverse("agreements:quote_create", args=[q.project_id])),
    # The quotes cards of the project and client pages (loaded after the page).
    ("project-quotes", lambda q: reverse("agreements:project_quotes", args=[q.project_id])),
    ("client-quotes", lambda q: reverse("agreements:client_quotes", args=[q.client_id])),
]


@pytest.mark.parametrize(("label", "url_for"), QUOTE_PAGES, ids=[p[0] for p in QUOTE_PAGES])
def test_quote_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[Quote], str],
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    from rapport.agreements.quotes.inputs import LineInput
    from rapport.agreements.quotes.services import quote_create
    from rapport.agreements.tests.quote_fixtures import quote_input

    lines = [LineInput(description=f"Line {j}", unit_price="10") for j in range(4)]
    draft = quote_create(
        project=website,
        actor=alice.user,
        data=quote_input(carol, valid_until=timezone.localdate() + timedelta(days=20), lines=lines),
    )
    _grow_quotes(alice, carol, website, 1)
    small = _count(alice_http, url_for(draft))
    _grow_quotes(alice, carol, website, 8)
    large = _count(alice_http, url_for(draft))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


@pytest.mark.parametrize("page", ["home", "home_quotes", "quote"])
def test_portal_quote_page_queries_do_not_grow(
    page: str, alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    _grow_quotes(alice, carol, website, 1)
    quote = Quote.objects.first()
    assert quote is not None
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = reverse("portal:quote", args=[quote.pk]) if page == "quote" else reverse(f"portal:{page}")
    small = _count(http, url)
    _grow_quotes(alice, carol, website, 8)
    large = _count(http, url)
    assert large == small
    assert large <= 15


def _grow_contracts(
    alice: Persona,
    acme: Client,
    carol: Contact,
    website: Project,
    document: Document,
    n: int,
    start: int,
) -> None:
    """``n`` more contracts and change requests, and more audit events on ``document``."""
    from rapport.agreements.changes.services import change_request_create
    from rapport.agreements.contracts.services import contract_create_from_quote
    from rapport.agreements.signing.services import document_verify
    from rapport.agreements.tests.contract_fixtures import make_quote

    for i in range(start, start + n):
        quote = make_quote(alice, acme, carol, website, series=500 + i)
        contract_create_from_quote(quote=quote, actor=alice.user)
        change_request_create(project=website, actor=alice.user, title=f"C{i}", description="d")
        document_verify(document=document, actor=alice.user)


CONTRACT_PAGES: list[tuple[str, Callable[[Document, ChangeRequest], str]]] = [
    ("contract", lambda d, c: reverse("agreements:contract_detail", args=[d.pk])),
    ("contract-terms", lambda d, c: reverse("agreements:contract_templates") + "?language=el"),
    ("change", lambda d, c: reverse("agreements:change_detail", args=[c.pk])),
    ("change-new", lambda d, c: reverse("agreements:change_create", args=[d.project_id])),
    ("change-edit", lambda d, c: reverse("agreements:change_edit", args=[c.pk])),
    # The contracts and changes cards of the project and client pages (loaded after the page).
    (
        "project-contracts",
        lambda d, c: reverse("agreements:project_contracts", args=[d.project_id]),
    ),
    ("project-changes", lambda d, c: reverse("agreements:project_changes", args=[d.project_id])),
    ("client-contracts", lambda d, c: reverse("agreements:client_contracts", args=[d.client_id])),
]


@pytest.mark.parametrize(("label", "url_for"), CONTRACT_PAGES, ids=[p[0] for p in CONTRACT_PAGES])
def test_contract_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[Document, ChangeRequest], str],
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
) -> None:
    from rapport.agreements.changes.services import change_request_create
    from rapport.agreements.contracts.services import contract_create_from_quote
    from rapport.agreements.tests.contract_fixtures import make_quote

    document = contract_create_from_quote(
        quote=make_quote(alice, acme, carol, website), actor=alice.user
    )
    change = change_request_create(project=website, actor=alice.user, title="C", description="d")
    _grow_contracts(alice, acme, carol, website, document, 1, start=0)
    small = _count(alice_http, url_for(document, change))
    _grow_contracts(alice, acme, carol, website, document, 6, start=1)
    large = _count(alice_http, url_for(document, change))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


@pytest.mark.parametrize("page", ["home", "home_signing", "sign"])
def test_portal_contract_page_queries_do_not_grow(
    page: str, alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    from rapport.agreements.contracts.services import contract_create_from_quote
    from rapport.agreements.tests.contract_fixtures import make_quote

    document = contract_create_from_quote(
        quote=make_quote(alice, acme, carol, website), actor=alice.user
    )
    _grow_contracts(alice, acme, carol, website, document, 1, start=0)
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    sign = reverse("portal:sign", args=[document.pk])
    url = sign if page == "sign" else reverse(f"portal:{page}")
    http.get(url)  # the first visit of the sign page records "viewed"
    small = _count(http, url)
    _grow_contracts(alice, acme, carol, website, document, 6, start=1)
    large = _count(http, url)
    assert large == small
    assert large <= 15


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.parametrize(("label", "url_for"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_section_queries_do_not_grow(
    label: str,
    url_for: Callable[[dict[str, Any]], str],
    htmx: bool,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    """A section or a card's form as htmx asks for it after its page is shown, and as a page
    of its own (the placeholder's or the card's link, without JavaScript)."""
    objects = {"acme": acme, "website": website, "carol": carol, "milestone": design_milestone}
    url = url_for(objects)
    headers = HTMX if htmx else None

    def grow(n: int, start: int) -> None:
        # More of everything, and more of what the form's own contact or milestone holds.
        _grow(alice, acme, website, n, start=start)
        for i in range(start, start + n):
            important_date_add(contact=carol, kind="birthday", month=1 + i % 12, day=2)
            deliverable_create(
                milestone=design_milestone, actor=alice.user, title=f"E{i}", spec="s", format="f"
            )

    grow(1, start=100)
    small = _count(alice_http, url, headers)
    grow(12, start=0)
    large = _count(alice_http, url, headers)
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    # The session, the member, the object the part belongs to, and its own rows: a handful.
    assert large <= 7, f"{label}: {large} queries"


# A brand-new workspace's dashboard, its first-day checklist shown (dashboard.checklist): one
# query for the whole list, whatever has been done.
NEW_WORKSPACE_DASHBOARD_QUERIES = 8


def test_new_workspace_dashboard_queries(alice: Persona, alice_http: HttpClient) -> None:
    url = reverse("dashboard")
    empty = _count(alice_http, url)
    assert "checklist-h" in alice_http.get(url).content.decode()
    for n in range(3):
        client = client_create(workspace=alice.workspace, actor=alice.user, name=f"New {n}")
        contact = contact_create(
            client=client, actor=alice.user, name=f"Person {n}", email=f"p{n}@new.example"
        )
        project_create(client=client, actor=alice.user, title=f"Site {n}")
        portal_link_send(contact=contact, actor=alice.user)
    ticked = _count(alice_http, url)
    assert "checklist-h" in alice_http.get(url).content.decode()
    assert ticked == empty <= NEW_WORKSPACE_DASHBOARD_QUERIES, (empty, ticked)
