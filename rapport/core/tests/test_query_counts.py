"""Every page runs a fixed number of queries whatever the amount of data (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
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
from rapport.projects.extras import extra_deliver, extra_plan
from rapport.projects.models import ChangeRequest, Deliverable, Milestone, Project
from rapport.projects.services import (
    deliverable_create,
    milestone_create,
    project_create,
    project_update,
)
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
        # Extras (P18): one planned, one delivered and told in the update below.
        extra_plan(project=website, actor=alice.user, title=f"Extra {i}", cost_hours=Decimal(1))
        extra_deliver(
            extra=extra_plan(
                project=website, actor=alice.user, title=f"Gift {i}", cost_hours=Decimal(1)
            ),
            actor=alice.user,
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
    ("project-extras", lambda o: reverse("projects:extras", args=[o["website"].pk])),
    ("client-handover", lambda o: reverse("commitments:handover", args=[o["acme"].pk])),
    ("alerts", lambda o: reverse("notifications:alerts")),
    ("requests", lambda o: reverse("conversations:inbox")),
    ("requests-done", lambda o: reverse("conversations:inbox") + "?state=done"),
    ("commitments", lambda o: reverse("commitments:ledger")),
    ("at-risk", lambda o: reverse("care:at_risk")),
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
    ("client-pulse", lambda o: reverse("care:client_pulse", args=[o["acme"].pk])),
    ("project-pulse", lambda o: reverse("care:project_pulse", args=[o["website"].pk])),
    ("client-health", lambda o: reverse("care:client_health", args=[o["acme"].pk])),
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
    """``n`` more quotes, each with more lines (two packages), deliverables and payments, and
    ``n`` more saved items."""
    from rapport.agreements.items.services import ItemInput, saved_item_create
    from rapport.agreements.models import SavedItem
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
                lines=[
                    LineInput(description=f"L{i}-{j}", unit_price="10", package="AB"[j - 1])
                    if j
                    else LineInput(description=f"L{i}-{j}", unit_price="10")
                    for j in range(3)
                ],
                deliverables=[DeliverableInput(title=f"D{i}", spec="s", format=".pdf")] * 2,
            ),
        )
        quote_send(quote=quote, actor=alice.user)
        saved_item_create(
            workspace=alice.workspace,
            data=ItemInput(
                description=f"Item {SavedItem.objects.count()}", unit_price="10", currency="EUR"
            ),
        )


QUOTE_PAGES: list[tuple[str, Callable[[Quote], str]]] = [
    ("quotes", lambda q: reverse("agreements:quote_list")),
    ("quotes-sent", lambda q: reverse("agreements:quote_list") + "?status=sent"),
    ("quote-draft", lambda q: reverse("agreements:quote_detail", args=[q.pk])),
    ("quote-edit", lambda q: reverse("agreements:quote_edit", args=[q.pk])),
    ("quote-create", lambda q: reverse("agreements:quote_create", args=[q.project_id])),
    ("saved-items", lambda q: reverse("agreements:saved_items")),
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


def _deliver_more(alice: Persona, carol: Contact, website: Project, n: int, start: int) -> None:
    """``n`` more deliverables handed over with a file and a link each, and one template more
    of three milestones (the review and template pages list them)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rapport.projects.attachments import deliverable_file_attach, deliverable_link_attach
    from rapport.projects.project_templates import template_save_from_project
    from rapport.projects.review import deliverable_deliver

    assert website.start_date is not None
    for i in range(start, start + n):
        milestone = milestone_create(
            project=website,
            actor=alice.user,
            title=f"Phase {i}",
            due_date=website.start_date + timedelta(days=20 + i % 5),
        )
        deliverable = deliverable_create(
            milestone=milestone, actor=alice.user, title=f"Design {i}", spec="s", format=".pdf"
        )
        upload = SimpleUploadedFile(f"d{i}.pdf", b"%PDF-1.4", content_type="application/pdf")
        deliverable_file_attach(deliverable=deliverable, actor=alice.user, upload=upload)
        deliverable_link_attach(
            deliverable=deliverable, actor=alice.user, url=f"https://proto.example/{i}"
        )
        deliverable_deliver(deliverable=deliverable, actor=alice.user, contacts=[carol])
        template_save_from_project(project=website, actor=alice.user, name=f"Template {i}")


REVIEW_PAGES: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("templates", lambda o: reverse("projects:templates")),
    ("template-use", lambda o: reverse("projects:template_use", args=[o["template"].pk])),
    ("template-save", lambda o: reverse("projects:template_save", args=[o["website"].pk])),
    ("duplicate", lambda o: reverse("projects:duplicate", args=[o["website"].pk])),
    ("deliverable", lambda o: reverse("projects:deliverable_detail", args=[o["deliverable"].pk])),
    ("portal-home", lambda o: reverse("portal:home")),
    ("portal-project", lambda o: reverse("portal:project", args=[o["website"].pk])),
]


@pytest.mark.parametrize(("label", "url_for"), REVIEW_PAGES, ids=[p[0] for p in REVIEW_PAGES])
def test_template_and_review_page_queries_do_not_grow(
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
    from rapport.projects.models import ProjectTemplate

    _deliver_more(alice, carol, website, 1, start=100)
    objects = {
        "website": website,
        "template": ProjectTemplate.objects.first(),
        "deliverable": Deliverable.objects.filter(title="Design 100").get(),
    }
    http = alice_http
    if label.startswith("portal"):
        _link, token = portal_link_create(contact=carol, actor=alice.user)
        http = HttpClient()
        http.post(reverse("portal:open", args=[token]))
    small = _count(http, url_for(objects))
    _deliver_more(alice, carol, website, 8, start=0)
    large = _count(http, url_for(objects))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


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


# --- Sign-up, the quote's running totals and the project page's inline adds ----------------
# Each is measured at two sizes of data, like the pages above: the count must not move.


def _count_post(
    http: HttpClient, url: str, data: dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """The queries of a POST, and its response (the caller checks what it expects of it)."""
    with CaptureQueriesContext(connection) as ctx:
        response = http.post(url, data, headers=headers or {})
    return len(ctx.captured_queries), response


def _signup_form(email: str) -> dict[str, str]:
    from rapport.conftest import PASSWORD

    return {
        "name": "Bogdan Ionescu",
        "email": email,
        "password": PASSWORD,
        "workspace_name": "Bogdan Dev",
        "language": "ro",
        "timezone": "Europe/Bucharest",
    }


def _more_signups(n: int, start: int) -> None:
    """``n`` more accounts: half finished (with their workspaces), half left pending."""
    from rapport.accounts.models import User
    from rapport.accounts.signup import signup_request
    from rapport.conftest import PASSWORD

    for i in range(start, start + n):
        signup_request(
            email=f"u{i}@example.com",
            name=f"User {i}",
            password=PASSWORD,
            workspace_name=f"Studio {i}",
        )
        if i % 2:
            User.objects.filter(email=f"u{i}@example.com").update(is_active=True)


def _finish_path(email: str) -> str:
    """The finish link of the last sign-up email to ``email`` (in the outbox)."""
    import re

    from rapport.notifications.models import Notification

    notification = Notification.objects.filter(address=email).order_by("-id").first()
    assert notification is not None, f"no sign-up email to {email}"
    found = re.findall(r"/accounts/signup/finish/[^/\s\"]+/[^/\s\"]+/", notification.body)
    assert found, notification.body
    return str(found[0])


@pytest.mark.parametrize("address", ["new", "pending", "registered"])
def test_signup_queries_do_not_grow(address: str, alice: Persona) -> None:
    """The form, and its POST for each kind of address (ADR 0020: the same answer for all)."""
    from rapport.accounts.signup import signup_request
    from rapport.conftest import PASSWORD

    url = reverse("accounts:signup")

    def email_for(round_: int) -> str:
        if address == "registered":
            return alice.user.email
        if address == "pending":
            email = f"pending{round_}@example.com"
            signup_request(email=email, name="P", password=PASSWORD, workspace_name="P")
            return email
        return f"new{round_}@example.com"

    _more_signups(1, start=100)
    form_small = _count(HttpClient(), url)
    post_small, answer = _count_post(HttpClient(), url, _signup_form(email_for(1)))
    assert answer.status_code == 200 and b"form" in answer.content
    _more_signups(12, start=0)
    form_large = _count(HttpClient(), url)
    post_large, answer = _count_post(HttpClient(), url, _signup_form(email_for(2)))
    assert answer.status_code == 200
    assert form_large == form_small, f"sign-up form: {form_small} queries, then {form_large}"
    assert post_large == post_small, f"sign-up POST: {post_small} queries, then {post_large}"
    assert form_large <= 5
    assert post_large <= 15


def test_signup_finish_queries_do_not_grow(alice: Persona) -> None:
    """The emailed link's page, and its POST that activates the account and logs in."""
    from rapport.accounts.signup import signup_request
    from rapport.conftest import PASSWORD

    def finish(email: str) -> tuple[int, int]:
        signup_request(email=email, name="B", password=PASSWORD, workspace_name="B Studio")
        path = _finish_path(email)
        page = _count(HttpClient(), path)
        post, answer = _count_post(HttpClient(), path, {"password": PASSWORD})
        assert answer.status_code == 302, answer.content.decode()[:500]
        return page, post

    _more_signups(1, start=100)
    page_small, post_small = finish("first@example.com")
    _more_signups(12, start=0)
    page_large, post_large = finish("second@example.com")
    assert page_large == page_small, f"finish page: {page_small} queries, then {page_large}"
    assert post_large == post_small, f"finish POST: {post_small} queries, then {post_large}"
    assert page_large <= 5
    # The POST logs in: the session, django-axes' bookkeeping of a successful login, the
    # account's activation and last login.
    assert post_large <= 20


def _quote_lines(n: int) -> dict[str, str]:
    """The editor's POST with ``n`` lines, as the running totals receive it."""
    data = {"currency": "EUR", "lines-TOTAL_FORMS": str(n), "lines-INITIAL_FORMS": "0"}
    for i in range(n):
        data |= {
            f"lines-{i}-kind": "hourly" if i % 2 else "fixed",
            f"lines-{i}-description": f"Line {i}",
            f"lines-{i}-quantity": "2.5",
            f"lines-{i}-unit_price": "33.33",
            f"lines-{i}-tax_rate": "24" if i % 3 else "9",
        }
    return data


@pytest.mark.parametrize("remove", [False, True], ids=["totals", "remove-row"])
def test_quote_totals_queries_do_not_grow(
    remove: bool,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
) -> None:
    """The running totals as lines are typed (and a row's "Remove"), with more lines posted
    and more quotes in the workspace."""
    url = reverse("agreements:quote_totals", args=[website.pk])
    extra = {"_remove": "lines-0"} if remove else {}
    _grow_quotes(alice, carol, website, 1)
    small, answer = _count_post(alice_http, url, _quote_lines(2) | extra, HTMX)
    # Each line is 2.5 x 33.33 = 83.33 (rounded per line); "Remove" leaves line 0 out.
    subtotal = b"83.33" if remove else b"166.66"
    assert answer.status_code == 200 and subtotal in answer.content, answer.content.decode()
    _grow_quotes(alice, carol, website, 6)
    large, answer = _count_post(alice_http, url, _quote_lines(25) | extra, HTMX)
    assert answer.status_code == 200
    assert large == small, f"quote totals: {small} queries with 2 lines, {large} with 25"
    assert large <= 5


def test_inline_milestone_add_queries_do_not_grow(
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    """The project page's "add a milestone" with htmx: the section comes back with every
    milestone and its deliverables, in the same number of queries however many there are."""
    assert website.due_date is not None
    due = (website.due_date - timedelta(days=3)).isoformat()
    url = reverse("projects:milestone_create", args=[website.pk])

    def add(title: str) -> tuple[int, int]:
        data = {
            "ms-title": title,
            "ms-due_date": due,
            "ms-progress": "0",
            "ms-status": "planned",
        }
        with CaptureQueriesContext(connection) as ctx:
            answer = alice_http.post(url, data, headers=HTMX)
        assert answer.status_code == 200 and title in answer.content.decode()
        assert Milestone.objects.filter(project=website, title=title).exists(), title
        sql = [q["sql"] for q in ctx.captured_queries]
        # A new milestone moves the project's delay-risk moments (projects.risk): stored with
        # one UPDATE per moment shared by several milestones and one for the rest
        # (risk.moments_save), so their number follows how many distinct moments moved, not
        # how many milestones there are. Every other query is counted exactly.
        moments = sum(q.startswith('UPDATE "projects_milestone" SET "risk_at"') for q in sql)
        assert moments <= 3, f"{moments} UPDATEs of risk moments"
        return len(sql) - moments, len(sql)

    _grow(alice, acme, website, 1, start=100)
    small, _ = add("Copy review")
    _grow(alice, acme, website, 12)
    large, total = add("Photo review")
    assert large == small, f"milestone add: {small} queries with little data, {large} with more"
    assert total <= 25


def test_inline_deliverable_add_queries_do_not_grow(
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
    layouts: Deliverable,
) -> None:
    """A milestone card's "add a deliverable" with htmx: the card comes back with all its
    deliverables, in the same number of queries however many the milestone and project hold."""
    url = reverse("projects:deliverable_create", args=[design_milestone.pk])

    def add(title: str) -> int:
        data = {
            "dl-title": title,
            "dl-spec": "Exactly this",
            "dl-format": ".pdf",
            "dl-status": "pending",
            "dl-revision_free_rounds": "2",
            "dl-revision_hourly_rate": "50",
        }
        count, answer = _count_post(alice_http, url, data, HTMX)
        assert answer.status_code == 200 and title in answer.content.decode()
        assert Deliverable.objects.filter(milestone=design_milestone, title=title).exists()
        return count

    def grow(n: int, start: int) -> None:
        _grow(alice, acme, website, n, start=start)
        for i in range(start, start + n):
            deliverable_create(
                milestone=design_milestone, actor=alice.user, title=f"E{i}", spec="s", format="f"
            )

    grow(1, start=100)
    small = add("Style guide")
    grow(12, start=0)
    large = add("Icon set")
    assert large == small, f"deliverable add: {small} queries with little data, {large} with more"
    assert large <= 15


def _grow_problems(alice: Persona, carol: Contact, website: Project, n: int) -> None:
    """``n`` more problems on the website, each with its alternatives, every other one
    chosen (a fix commitment) by carol."""
    from rapport.care.problems.services import problem_choose
    from rapport.care.tests.fixtures import report

    for i in range(n):
        problem = report(project=website, alice=alice, contacts=[carol], title=f"Problem {i}")
        if i % 2:
            problem_choose(
                problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol
            )


PROBLEM_PAGES: list[tuple[str, Callable[[Any], str]]] = [
    ("problems", lambda p: reverse("care:problems", args=[p.project_id])),
    ("problem-new", lambda p: reverse("care:problem_new", args=[p.project_id])),
    ("problem", lambda p: reverse("care:problem_detail", args=[p.pk])),
]


@pytest.mark.parametrize(("label", "url_for"), PROBLEM_PAGES, ids=[p[0] for p in PROBLEM_PAGES])
def test_problem_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[Any], str],
    alice: Persona,
    alice_http: HttpClient,
    carol: Contact,
    website: Project,
    design_milestone: Milestone,
) -> None:
    from rapport.care.problems.services import problem_choose
    from rapport.care.tests.fixtures import report

    problem = report(project=website, alice=alice, contacts=[carol])
    problem_choose(problem=problem, alternative_id=problem.alternatives.all()[0].pk, contact=carol)
    _grow_problems(alice, carol, website, 1)
    small = _count(alice_http, url_for(problem))
    _grow_problems(alice, carol, website, 6)
    large = _count(alice_http, url_for(problem))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


@pytest.mark.parametrize("page", ["problem", "project"])
def test_portal_problem_page_queries_do_not_grow(
    page: str, alice: Persona, carol: Contact, website: Project
) -> None:
    from rapport.care.tests.fixtures import report

    problem = report(project=website, alice=alice, contacts=[carol])
    # Two, so that one is chosen: a chosen problem has its entry in the decisions log too.
    _grow_problems(alice, carol, website, 2)
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = (
        reverse("portal:problem", args=[problem.pk])
        if page == "problem"
        else reverse("portal:project", args=[website.pk])
    )
    small = _count(http, url)
    _grow_problems(alice, carol, website, 6)
    large = _count(http, url)
    assert large == small
    assert large <= 15


def test_plain_words_page_queries_do_not_grow(alice: Persona, alice_http: HttpClient) -> None:
    """Settings → Plain words (P26) lists the shipped terms and the workspace's own."""
    from rapport.care.jargon.services import jargon_term_save

    url = reverse("care:plain_words") + "?language=en"

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            jargon_term_save(
                membership=alice.membership, language="en", term=f"term {i}", suggestion="plain"
            )

    grow(1, 0)
    small = _count(alice_http, url)
    grow(12, 1)
    large = _count(alice_http, url)
    assert large == small, f"plain words: {small} queries with little data, {large} with more"
    assert large <= 15


def _grow_decisions(alice: Persona, carol: Contact, website: Project, n: int) -> None:
    """``n`` more recommendations on the website with their options, every other one
    decided by carol in the portal."""
    from rapport.care.decisions.services import decision_decide
    from rapport.care.tests.decision_fixtures import recommend

    for i in range(n):
        decision = recommend(project=website, alice=alice, title=f"Decision {i}")
        if i % 2:
            decision_decide(
                decision=decision, option_id=decision.options.all()[0].pk, contact=carol
            )


DECISION_PAGES: list[tuple[str, Callable[[Any], str]]] = [
    ("decisions", lambda d: reverse("care:decisions", args=[d.project_id])),
    ("decisions-card", lambda d: reverse("care:decisions_section", args=[d.project_id])),
    ("decision-new", lambda d: reverse("care:decision_new", args=[d.project_id])),
    ("decision", lambda d: reverse("care:decision_detail", args=[d.pk])),
]


@pytest.mark.parametrize(("label", "url_for"), DECISION_PAGES, ids=[p[0] for p in DECISION_PAGES])
def test_decision_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[Any], str],
    alice: Persona,
    alice_http: HttpClient,
    carol: Contact,
    website: Project,
) -> None:
    from rapport.care.tests.decision_fixtures import recommend

    decision = recommend(project=website, alice=alice)
    _grow_decisions(alice, carol, website, 1)
    small = _count(alice_http, url_for(decision))
    _grow_decisions(alice, carol, website, 8)
    large = _count(alice_http, url_for(decision))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


@pytest.mark.parametrize("page", ["decision", "project"])
def test_portal_decision_page_queries_do_not_grow(
    page: str, alice: Persona, carol: Contact, website: Project
) -> None:
    from rapport.care.tests.decision_fixtures import recommend

    decision = recommend(project=website, alice=alice)
    _grow_decisions(alice, carol, website, 1)
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    url = (
        reverse("portal:decision", args=[decision.pk])
        if page == "decision"
        else reverse("portal:project", args=[website.pk])
    )
    small = _count(http, url)
    _grow_decisions(alice, carol, website, 8)
    large = _count(http, url)
    assert large == small
    assert large <= 16


def _grow_upset(alice: Persona, acme: Client, n: int, start: int = 0) -> None:
    """``n`` more hostile portal requests, each with a hostile email reply: tone badges on the
    inbox, tone alerts in the alert centre."""
    from rapport.conversations.inbound_mail import inbound_email_receive

    for i in range(start, start + n):
        contact = contact_create(
            client=acme, actor=alice.user, name=f"Angry {i}", email=f"angry{i}@acme.example"
        )
        request = request_receive(
            client=acme, contact=contact, source="portal", subject=f"Ask {i}", body="Απατεώνες!"
        )
        inbound_email_receive(
            sender=contact.email,
            recipient=f"hello+{alice.workspace.inbound_token}@rapport.example",
            subject=f"Re: [{request.reference}] Ask {i}",
            text="Ανίκανοι!",
            message_id=f"<angry{i}@acme.example>",
        )


# (label, url, queries): the session, the user and their workspace, then the page's own
# reads (the upset page: the alert with its client, the contact, the request).
UPSET_PAGES: list[tuple[str, Callable[[Any], str], int]] = [
    ("upset", lambda alert: reverse("care:upset_detail", args=[alert.pk]), 6),
    ("requests-with-tone", lambda alert: reverse("conversations:inbox"), 6),
    (
        "request-with-tone",
        lambda alert: reverse("conversations:detail", args=[alert.subject_id]),
        8,
    ),
]


@pytest.mark.parametrize(
    ("label", "url_for", "queries"), UPSET_PAGES, ids=[p[0] for p in UPSET_PAGES]
)
def test_upset_and_tone_page_queries_are_fixed(
    label: str,
    url_for: Callable[[Any], str],
    queries: int,
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
) -> None:
    """The de-escalation page and the pages with tone badges (P23, P24): the same queries with
    one toned request or seven, each with a hostile reply."""
    from rapport.clients.services import client_update
    from rapport.notifications.models import Alert

    client_update(client=acme, actor=alice.user, temperament_notes="Short answers, please.")
    _grow_upset(alice, acme, 1)
    alert = Alert.objects.filter(kind=Alert.Kind.CLIENT_UPSET, subject_type="request").first()
    small = _count(alice_http, url_for(alert))
    _grow_upset(alice, acme, 6, start=1)
    large = _count(alice_http, url_for(alert))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert small == large == queries, (
        f"{label}: {small} queries with little data, {large} with more"
    )


def _grow_pulse(carol: Contact, website: Project, n: int, start: int) -> None:
    """``n`` more answers, each to an update of its own (P23)."""
    from rapport.care.pulse.services import pulse_answer

    for i in range(start, start + n):
        update = update_send(project=website, actor=None, contacts=[carol], body=f"Week {i}")
        pulse_answer(contact=carol, update=update, score=1 + i % 5, source="email")


# Exactly what each pulse page reads, whatever the number of answers: a staff card reads the
# session, the member, its client or project and one query of answers; the portal home reads
# its own and two more (the latest update, the contact's answer); the link's page its token's
# contact and update, and the answer.
PULSE_PAGES: list[tuple[str, int]] = [
    ("client-pulse", 4),
    ("project-pulse", 4),
    ("portal-home", 9),
    ("pulse-link", 5),
]


@pytest.mark.parametrize(("page", "expected"), PULSE_PAGES, ids=[p[0] for p in PULSE_PAGES])
def test_pulse_page_queries_are_fixed(
    page: str,
    expected: int,
    alice: Persona,
    alice_http: HttpClient,
    carol: Contact,
    website: Project,
) -> None:
    from rapport.projects.pulse_links import pulse_token

    _grow_pulse(carol, website, 1, start=100)
    latest = website.updates.order_by("-sent_at", "-id").first()
    assert latest is not None
    http = alice_http
    if page == "portal-home":
        _link, token = portal_link_create(contact=carol, actor=None)
        http = HttpClient()
        http.post(reverse("portal:open", args=[token]))
    urls = {
        "client-pulse": reverse("care:client_pulse", args=[carol.client_id]),
        "project-pulse": reverse("care:project_pulse", args=[website.pk]),
        "portal-home": reverse("portal:home"),
        "pulse-link": reverse(
            "portal:pulse", args=[pulse_token(contact_id=carol.pk, update_id=latest.pk)]
        ),
    }
    small = _count(http, urls[page], HTMX if page.endswith("pulse") else None)
    _grow_pulse(carol, website, 8, start=0)
    large = _count(http, urls[page], HTMX if page.endswith("pulse") else None)
    assert (small, large) == (expected, expected), f"{page}: {small} then {large} queries"


def _grow_client_caused(alice: Persona, carol: Contact, website: Project, n: int) -> None:
    """``n`` client-caused problems on the website, each with goodwill-free alternatives,
    and ``n`` of our own with goodwill hours: the pattern page's and the client card's rows."""
    from rapport.care.models import Problem
    from rapport.care.problems.goodwill import problem_goodwill_record
    from rapport.care.tests.fixtures import report

    for i in range(n):
        report(
            project=website,
            alice=alice,
            contacts=[carol],
            title=f"Late input {i}",
            cause=Problem.Cause.CLIENT,
        )
        ours = report(project=website, alice=alice, contacts=[carol], title=f"Ours {i}")
        problem_goodwill_record(problem=ours, actor=alice.user, hours="1.5", amount="20")


@pytest.mark.parametrize("page", ["pattern", "client"])
def test_pattern_and_client_care_queries_do_not_grow(
    page: str, alice: Persona, alice_http: HttpClient, carol: Contact, website: Project
) -> None:
    url = (
        reverse("care:client_pattern", args=[website.client_id])
        if page == "pattern"
        else reverse("clients:detail", args=[website.client_id])
    )
    _grow_client_caused(alice, carol, website, 1)
    small = _count(alice_http, url)
    _grow_client_caused(alice, carol, website, 5)
    large = _count(alice_http, url)
    assert large == small, f"{page}: {small} queries with little data, {large} with more"
    assert large <= 15


def _grow_referrals(alice: Persona, acme: Client, carol: Contact, n: int, start: int = 0) -> Any:
    """``n`` more clients in a chain under acme (through carol for the first), each with an
    expert recommended to acme; returns the last expert."""
    from rapport.care.experts.services import expert_create, recommendation_record
    from rapport.care.referrals.services import referral_record
    from rapport.clients.services import client_create

    expert = None
    previous = acme
    for i in range(start, start + n):
        client = client_create(workspace=alice.workspace, actor=alice.user, name=f"Ref {i}")
        if previous is acme:
            referral_record(client=client, actor=alice.user, kind="contact", referrer_contact=carol)
        else:
            referral_record(
                client=client, actor=alice.user, kind="client", referrer_client=previous
            )
        previous = client
        expert = expert_create(workspace=alice.workspace, name=f"Expert {i}", skills=[f"s{i}"])
        recommendation_record(
            client=acme, expert=expert, contact=carol, reason=f"Reason {i}", actor=alice.user
        )
    return expert


REFERRAL_PAGES: list[tuple[str, Callable[[Client, Any], str]]] = [
    ("referrals-card", lambda c, e: reverse("care:client_referrals", args=[c.pk])),
    ("referral-form", lambda c, e: reverse("care:referral_edit", args=[c.pk])),
    ("recommendations-card", lambda c, e: reverse("care:client_recommendations", args=[c.pk])),
    ("recommendation-new", lambda c, e: reverse("care:recommendation_new", args=[c.pk])),
    ("experts", lambda c, e: reverse("care:experts")),
    ("experts-by-skill", lambda c, e: reverse("care:experts") + "?skill=s1"),
    ("expert", lambda c, e: reverse("care:expert_detail", args=[e.pk])),
    ("expert-edit", lambda c, e: reverse("care:expert_edit", args=[e.pk])),
    (
        "recommendation-edit",
        lambda c, e: reverse("care:recommendation_edit", args=[e.recommendations.get().pk]),
    ),
]


@pytest.mark.parametrize(("label", "url_for"), REFERRAL_PAGES, ids=[p[0] for p in REFERRAL_PAGES])
def test_referral_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[Client, Any], str],
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
) -> None:
    expert = _grow_referrals(alice, acme, carol, 2)
    small = _count(alice_http, url_for(acme, expert))
    _grow_referrals(alice, acme, carol, 10, start=2)
    large = _count(alice_http, url_for(acme, expert))
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 15


def _grow_greetings(alice: Persona, acme: Client, n: int, start: int = 0) -> None:
    """``n`` more Greek contacts named Nikos, each with a birthday: their name days and
    birthdays stored, and a greeting alert for each name day."""
    from datetime import UTC, datetime

    from rapport.care.namedays.scan import scan_important_dates
    from rapport.clients.services import important_date_add

    for i in range(start, start + n):
        nikos = contact_create(
            client=acme, actor=alice.user, name=f"Νίκος {i}", email=f"nikos{i}@acme.example"
        )
        important_date_add(contact=nikos, kind="birthday", month=3, day=1 + i % 28)
    # The morning of St Nicholas (6 December) in Athens, whatever the year the test runs in.
    year = datetime.now(UTC).year
    scan_important_dates(datetime(year + 1, 12, 6, 7, 0, tzinfo=UTC))


def test_greeting_page_queries_are_fixed(
    alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    """The greeting page of a special day (P31): the session, the user and their workspace,
    the alert with its client, the contact; the same with one greeting or seven."""
    from rapport.notifications.models import Alert

    _grow_greetings(alice, acme, 1)
    alert = Alert.objects.filter(kind=Alert.Kind.IMPORTANT_DATE).first()
    assert alert is not None
    url = reverse("care:greeting_detail", args=[alert.pk])
    small = _count(alice_http, url)
    _grow_greetings(alice, acme, 6, start=1)
    large = _count(alice_http, url)
    assert small == large == 5, f"{small} queries with little data, {large} with more"


# The reports page: the session's and the selectors' (responses, commitments, invoices,
# payments; the pillars' zone, projects and win-backs; NPS; the health distribution), with one
# month of data or two years of it.
REPORTS_QUERIES = 12


@pytest.mark.parametrize("months", ["", "?months=24"])
def test_reports_page_queries_are_fixed(
    months: str, alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    from rapport.care.tests.report_fixtures import report_history

    url = reverse("care:reports") + months
    report_history(acme, now=timezone.now(), months=1, per_month=1)
    small = _count(alice_http, url)
    report_history(acme, now=timezone.now(), months=24, per_month=3)
    large = _count(alice_http, url)
    assert (small, large) == (REPORTS_QUERIES, REPORTS_QUERIES), f"{small} then {large} queries"


def _grow_keep_in_touch(alice: Persona, n: int, start: int) -> None:
    """``n`` more past clients, each with a contact, a delivered project (its check-ins
    scheduled), a request, a loyalty offer and a win-back draft waiting."""
    from rapport.care.keepintouch.services import loyalty_offer_set, win_back_draft

    for i in range(start, start + n):
        client = client_create(
            workspace=alice.workspace,
            actor=alice.user,
            name=f"Past {i}",
            status=Client.Status.PAST,
            language="ro",
        )
        contact = contact_create(
            client=client, actor=alice.user, name=f"Ana {i}", email=f"ana{i}@past.example"
        )
        project = project_create(
            client=client, actor=alice.user, title=f"Old {i}", status=Project.Status.ACTIVE
        )
        project_update(project=project, actor=alice.user, status=Project.Status.DELIVERED)
        request_receive(client=client, contact=contact, source="phone", subject="Hi", body="x")
        loyalty_offer_set(client=client, actor=alice.user, discount_percent=Decimal(5), note="")
        win_back_draft(client=client, actor=alice.user)


# (label, url, htmx): the keep-in-touch pages and the returning-client cards.
KEEP_IN_TOUCH_PAGES: list[tuple[str, Callable[[dict[str, Any]], str], bool]] = [
    ("keep-in-touch", lambda o: reverse("care:keep_in_touch"), False),
    ("keep-in-touch-settings", lambda o: reverse("care:keep_in_touch_settings"), False),
    ("win-back", lambda o: reverse("care:win_back"), False),
    ("draft", lambda o: reverse("care:check_in_detail", args=[o["draft"].pk]), False),
    ("returning", lambda o: reverse("care:project_returning", args=[o["project"].pk]), True),
    ("quote-loyalty", lambda o: reverse("care:quote_loyalty", args=[o["quote"].pk]), True),
]


@pytest.mark.parametrize(
    ("label", "url_for", "htmx"), KEEP_IN_TOUCH_PAGES, ids=[p[0] for p in KEEP_IN_TOUCH_PAGES]
)
def test_keep_in_touch_page_queries_do_not_grow(
    label: str,
    url_for: Callable[[dict[str, Any]], str],
    htmx: bool,
    alice: Persona,
    alice_http: HttpClient,
    carol: Contact,
    website: Project,
) -> None:
    from datetime import date

    from rapport.agreements.tests.quote_fixtures import draft as quote_draft
    from rapport.care.keepintouch.services import win_back_draft

    _grow_keep_in_touch(alice, 1, 0)
    project_update(project=website, actor=alice.user, status=Project.Status.DELIVERED)
    again = project_create(client=carol.client, actor=alice.user, title="Shop", status="active")
    objects = {
        "draft": win_back_draft(client=carol.client, actor=alice.user),
        "project": again,
        "quote": quote_draft(alice, again, carol, valid_until=date.today() + timedelta(days=14)),
    }
    url = url_for(objects)
    small = _count(alice_http, url, HTMX if htmx else None)
    _grow_keep_in_touch(alice, 6, 1)
    large = _count(alice_http, url, HTMX if htmx else None)
    assert large == small, f"{label}: {small} queries with little data, {large} with more"
    assert large <= 12


def _grow_health(alice: Persona, acme: Client, n: int, start: int = 0) -> None:
    """``n`` more active clients scored at risk, each with a week of history, and a week more
    of acme's history (the list's rows and the card's trend)."""
    from rapport.care.models import ClientHealth, HealthPoint

    today = timezone.now().date()
    clients = [
        client_create(
            workspace=alice.workspace, actor=alice.user, name=f"Risky {i}", status="active"
        )
        for i in range(start, start + n)
    ]
    for client in [*clients, acme]:
        ClientHealth.objects.update_or_create(
            client=client,
            defaults={
                "workspace": alice.workspace,
                "score": 30,
                "band": "at_risk",
                "parts": [{"key": "silence", "points": -35, "weight": None, "args": {"days": 70}}],
                "stake": Decimal(100 + client.pk),
                "step": {"key": "silence"},
                "health_due_at": None,
            },
        )
        for day in range(start, start + 7):
            HealthPoint.objects.update_or_create(
                client=client,
                day=today - timedelta(days=day),
                defaults={"workspace": alice.workspace, "score": 30 + day},
            )


# The at-risk list: the session, the membership, the alert badge, the page of rows with their
# clients and owners, and the count once the list has more than one page (core.pagination).
# The client's card: session, membership, the client, its health and its history.
HEALTH_PAGES: list[tuple[str, int]] = [("at-risk", 5), ("client-health", 5)]


@pytest.mark.parametrize(("page", "expected"), HEALTH_PAGES, ids=[p[0] for p in HEALTH_PAGES])
def test_health_page_queries_are_fixed(
    page: str, expected: int, alice: Persona, alice_http: HttpClient, acme: Client
) -> None:
    url = (
        reverse("care:at_risk")
        if page == "at-risk"
        else reverse("care:client_health", args=[acme.pk])
    )
    headers = HTMX if page == "client-health" else None
    _grow_health(alice, acme, 1, start=100)
    small, small_counts = _count_with_counts(alice_http, url, headers)
    _grow_health(alice, acme, 30)
    large, large_counts = _count_with_counts(alice_http, url, headers)
    # The list counts its rows once they outgrow its first page; nothing else grows.
    assert large - large_counts == small - small_counts, f"{page}: {small} then {large}"
    assert large == expected, f"{page}: {large} queries"


def _grow_surveys(alice: Persona, carol: Contact, n: int, start: int = 0) -> list[Any]:
    """``n`` delivered projects of carol's client, each surveyed and answered by carol with a
    testimonial and a portfolio permission, each shown once in the promotion log."""
    from rapport.care.surveys.consent import promotion_log, survey_respond
    from rapport.care.surveys.services import survey_send
    from rapport.projects.services import project_update

    surveys = []
    for i in range(start, start + n):
        project = project_create(client=carol.client, actor=alice.user, title=f"Closed {i}")
        project_update(project=project, actor=alice.user, status=Project.Status.DELIVERED)
        survey = survey_send(project=project, actor=alice.user)
        done = survey_respond(
            survey=survey,
            contact=carol,
            csat=1 + i % 5,
            nps=i % 11,
            comment=f"Answer {i}",
            source="email",
            testimonial=f"Words {i}",
            publish=True,
            portfolio=True,
        )
        assert done.portfolio is not None
        promotion_log(
            client=carol.client,
            actor=alice.user,
            channel="website",
            shown_on=timezone.localdate(),
            portfolio_id=done.portfolio.pk,
        )
        surveys.append(survey)
    return surveys


SURVEY_PAGES = [
    "project-survey",
    "client-surveys",
    "promotion-new",
    "survey-results",
    "portal-home-surveys",
    "portal-survey",
    "survey-link",
]


@pytest.mark.parametrize("page", SURVEY_PAGES)
def test_survey_page_queries_do_not_grow(
    page: str, alice: Persona, alice_http: HttpClient, carol: Contact
) -> None:
    """The survey pages (P33, P34) at two sizes of answers, testimonials and permissions."""
    from rapport.care.surveys.links import survey_token

    survey = _grow_surveys(alice, carol, 1, start=100)[0]
    http = alice_http
    if page.startswith("portal"):
        _link, token = portal_link_create(contact=carol, actor=None)
        http = HttpClient()
        http.post(reverse("portal:open", args=[token]))
    urls = {
        "project-survey": reverse("care:project_survey", args=[survey.project_id]),
        "client-surveys": reverse("care:client_surveys", args=[carol.client_id]),
        "promotion-new": reverse("care:promotion_new", args=[carol.client_id]),
        "survey-results": reverse("care:survey_results"),
        "portal-home-surveys": reverse("portal:home_surveys"),
        "portal-survey": reverse("portal:survey", args=[survey.pk]),
        "survey-link": reverse(
            "portal:survey_link", args=[survey_token(contact_id=carol.pk, survey_id=survey.pk)]
        ),
    }
    headers = HTMX if page in ("client-surveys", "portal-home-surveys") else None
    small = _count(http, urls[page], headers)
    _grow_surveys(alice, carol, 4)
    large = _count(http, urls[page], headers)
    assert small == large, f"{page}: {small} then {large} queries"
    assert large <= 15
