"""No page is wider than the window, in any of the four languages (issue 13, docs/layout.md).

Every staff and portal page is opened with a populated workspace (the isolation test's
``alice_objects``: a client with contacts, a project with milestones and deliverables, a quote,
a contract, a change, an invoice, a request, an alert, a brief) in en, el, ro and id, at 1280 px
(a laptop) and 390 px (a phone) wide. A page fails when the document scrolls sideways; the
failure names the page, the language, the width and the elements that stick out.

The list of pages is checked against the URL resolver (through the isolation test's tables,
which already cover every URL), so a new page fails here until it is listed or excluded with
a reason.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from rapport.care.surveys.links import survey_token
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.conftest import PASSWORD, Persona
from rapport.core.tests.test_isolation import (  # noqa: F401 (alice_objects is a fixture)
    OBJECT_URLS,
    PUBLIC,
    WORKSPACE_PAGES,
    alice_objects,
    all_url_names,
)
from rapport.e2e.conftest import NewContext, artifacts_dir, log_in, sections_loaded
from rapport.projects.models import ProjectUpdate
from rapport.projects.pulse_links import pulse_token

LANGUAGES = ("en", "el", "ro", "id")
WIDE, PHONE = 1280, 390
HEIGHT = 900

# Pages opened by a provider (kwargs come from the isolation test's OBJECT_URLS).
STAFF_PAGES = {
    "dashboard",
    "care:reports",
    "notifications:alerts",
    "conversations:inbox",
    "conversations:log",
    "conversations:unmatched",
    "conversations:detail",
    "clients:list",
    "clients:create",
    "clients:detail",
    "clients:edit",
    "clients:timeline",
    "clients:contact_create",
    "clients:contact_edit",
    "clients:important_date_add",
    "clients:screening",
    "clients:brief_send",
    "clients:brief_detail",
    "clients:brief_templates",
    "clients:brief_template",
    "projects:list",
    "projects:create",
    "projects:detail",
    "projects:edit",
    "projects:milestone_edit",
    "projects:deliverable_create",
    "projects:deliverable_edit",
    "projects:update_compose",
    "projects:extras",
    "projects:delay_notice",
    "projects:deliverable_detail",
    "projects:templates",
    "projects:template_use",
    "projects:template_save",
    "projects:duplicate",
    "commitments:ledger",
    "commitments:promise_new",
    "commitments:cancel",
    "commitments:renegotiate",
    "commitments:handover",
    "agreements:quote_list",
    "agreements:quote_create",
    "agreements:quote_detail",
    "agreements:quote_edit",
    "agreements:saved_items",
    "agreements:saved_item_edit",
    "agreements:contract_templates",
    "agreements:contract_detail",
    "agreements:change_create",
    "agreements:change_detail",
    "agreements:change_edit",
    "billing:invoice_list",
    "billing:invoice_detail",
    "billing:invoice_new",
    "billing:payment_methods",
    "billing:payment_method_edit",
    "billing:revisions",
    "accounts:settings",
    "care:problems",
    "care:problem_new",
    "care:problem_detail",
    "care:plain_words",
    "care:jargon_term_edit",
    "care:decisions",
    "care:decision_new",
    "care:decision_detail",
    "care:upset_detail",
    "care:greeting_detail",
    "care:client_pattern",
    "care:experts",
    "care:expert_new",
    "care:expert_detail",
    "care:expert_edit",
    "care:referral_edit",
    "care:recommendation_new",
    "care:recommendation_edit",
    "care:keep_in_touch",
    "care:keep_in_touch_settings",
    "care:win_back",
    "care:check_in_detail",
    "care:at_risk",
    "care:project_survey",
    "care:promotion_new",
    "care:survey_results",
}

# Pages a client contact opens in the portal, in the contact's language.
PORTAL_PAGES = {
    "portal:home",
    "portal:project",
    "portal:request_new",
    "portal:change_new",
    "portal:change_reject",
    "portal:quote",
    "portal:brief",
    "portal:invoices",
    "portal:invoice",
    "portal:sign",
    "portal:problem",
    "portal:decision",
    "portal:survey",
}

# Pages anyone may open, with the arguments that make them render (a wrong token shows the
# page that says so). portal:open gets a fresh magic link of carol's in the test.
PUBLIC_PAGES: dict[str, dict[str, str]] = {
    "accounts:login": {},
    "accounts:signup": {},
    "accounts:signup_finish": {"uidb64": "MQ", "token": "no-such-token"},
    "accounts:invitation": {"token": "no-such-token"},
    "accounts:password_reset": {},
    "accounts:password_reset_done": {},
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "no-such-token"},
    "accounts:password_reset_complete": {},
    "portal:link_request": {},
    "portal:open": {},
    # Given a token of carol's for the latest update in the test (the page of the faces).
    "portal:pulse": {},
    "portal:pulse_face": {"score": "4"},
    # Given a token of carol's for the survey of alice_objects (the survey's page).
    "portal:survey_link": {},
    "portal:survey_link_csat": {"csat": "4"},
}

# GET URLs that are not pages of their own, each with the reason.
EXCLUDED = {
    # Files streamed after an access check, not pages.
    "portal:business_logo": "the provider's logo image",
    "portal:deliverable_file": "a delivered file, downloaded",
    "projects:attachment_file": "a deliverable's file, downloaded",
    # Sections loaded into their page by htmx (core.sections): checked inside that page,
    # which waits for them (sections_loaded) before measuring.
    "dashboard_activity": "section of the dashboard",
    "clients:recent_timeline": "section of the client page",
    "clients:messages": "section of the client page",
    "agreements:client_quotes": "section of the client page",
    "agreements:client_contracts": "section of the client page",
    "billing:client_balance": "section of the client page",
    "agreements:project_quotes": "section of the project page",
    "agreements:project_contracts": "section of the project page",
    "agreements:project_changes": "section of the project page",
    "billing:project_billing": "section of the project page",
    "care:decisions_section": "section of the project page",
    "care:client_pulse": "section of the client page",
    "care:client_health": "section of the client page",
    "care:project_pulse": "section of the project page",
    "care:client_referrals": "section of the client page",
    "care:client_recommendations": "section of the client page",
    "care:project_returning": "section of the project page",
    "care:quote_loyalty": "section of the quote page",
    "care:client_surveys": "section of the client page",
    "portal:home_surveys": "section of the portal home",
    "portal:home_briefs": "section of the portal home",
    "portal:home_quotes": "section of the portal home",
    "portal:home_signing": "section of the portal home",
    "portal:home_invoices": "section of the portal home",
    "portal:home_updates": "section of the portal home",
    "portal:home_cancellations": "section of the portal home",
    "agreements:quote_row": "one row of the quote form, put in place by htmx",
    # Files, not HTML pages.
    "accounts:business_logo": "an image",
    "agreements:contract_pdf": "a PDF",
    "billing:invoice_pdf": "a PDF",
    "portal:sign_pdf": "a PDF",
    "portal:invoice_pdf": "a PDF",
    "clients:brief_file": "a file the client uploaded",
    "portal:brief_file": "a file the client uploaded",
    # Public URLs that show no page of their own.
    "accounts:logout": "POST only",
    "portal:logout": "POST only",
    "language": "POST only: sets the language and redirects",
    "home": "redirects to the dashboard or the login",
    "health": "JSON for the load balancer",
    "api:schema": "the OpenAPI document",
    "notifications:telegram_updates": "Telegram's webhook",
}


def _get_urls() -> set[str]:
    """Every URL name the isolation test says answers a GET (its tables cover every URL)."""
    names = {n for n, method in WORKSPACE_PAGES.items() if method == "get"}
    names |= {n for n, (_kwargs, methods) in OBJECT_URLS.items() if "get" in methods}
    return names | PUBLIC


def test_every_page_is_checked_or_excluded() -> None:
    """A new GET page must join a list above (or be excluded, with the reason)."""
    listed = STAFF_PAGES | PORTAL_PAGES | set(PUBLIC_PAGES)
    assert not listed & set(EXCLUDED), "a page is both checked and excluded"
    missing = _get_urls() - listed - set(EXCLUDED)
    assert not missing, f"pages neither checked for sideways scroll nor excluded: {sorted(missing)}"
    stale = (listed | set(EXCLUDED)) - all_url_names()
    assert not stale, f"listed pages that no longer exist: {sorted(stale)}"


# What sticks out: the innermost elements whose right edge passes the window, furthest first,
# so a failure says where to look (a table, a badge, a long word).
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const limit = root.clientWidth;
  const wide = [...document.body.querySelectorAll('*')].filter(
    el => el.getBoundingClientRect().right > limit + 0.5);
  const innermost = wide.filter(el => !wide.some(other => other !== el && el.contains(other)))
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  return {scroll: root.scrollWidth, client: limit,
          culprits: innermost.slice(0, 4).map(
            el => name(el) + ' "' + (el.textContent || '').trim().slice(0, 40) + '"')};
}"""


def _overflows(page: Page, width: int) -> str | None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    found: dict[str, Any] | None = page.evaluate(OVERFLOW_JS)
    if found is None:
        return None
    return f"{found['scroll']} px > {found['client']} px: {'; '.join(found['culprits'])}"


def _check(page: Page, path: str, label: str, language: str, failures: list[str]) -> None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status < 500, f"{label} [{language}] answered {response.status}"
    sections_loaded(page)
    for width in (WIDE, PHONE):
        problem = _overflows(page, width)
        if problem:
            failures.append(f"{label} [{language}, {width} px] scrolls sideways: {problem}")
            # Kept by CI with the other screenshots: what the failure looks like.
            shot = artifacts_dir() / f"sideways-{label.replace(':', '-')}-{language}-{width}.png"
            page.screenshot(path=str(shot), full_page=True, animations="disabled")
    page.set_viewport_size({"width": WIDE, "height": HEIGHT})


# Text as people write it: a long link, a long Greek word, no spaces to break at.
LONG_LINK = "https://drive.example.com/shared/acme/" + "ΕΠΑΝΑΔΙΑΠΡΑΓΜΑΤΕΥΤΗΚΕ-" * 4 + "final.pdf"


@pytest.fixture
def long_words(alice: Persona, carol: Contact, alice_objects: dict[str, Any]) -> None:  # noqa: F811
    """A progress update and a request whose words are longer than a phone is wide."""
    from rapport.conversations.services import request_receive
    from rapport.projects.updates import update_send

    update_send(
        project=alice_objects["project"],
        actor=alice.user,
        contacts=[carol],
        body=f"The designs are in the shared folder: {LONG_LINK}",
    )
    request_receive(
        client=carol.client, contact=carol, source="portal", subject=LONG_LINK, body=LONG_LINK
    )


def _speak(context: BrowserContext, language: str, base_url: str) -> None:
    """Pages outside the portal read the language from Django's language cookie (logging in
    sets it to the provider's saved language: call this after)."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


def _latest_update_on_first_screen(portal: Page, language: str, failures: list[str]) -> None:
    """On a phone (390 x 844) the portal home shows the latest update without scrolling."""
    portal.goto(reverse("portal:home"))
    sections_loaded(portal)
    portal.set_viewport_size({"width": PHONE, "height": 844})
    latest = portal.locator("[aria-labelledby=updates-h] li").first.bounding_box()
    portal.set_viewport_size({"width": WIDE, "height": HEIGHT})
    if latest is None or latest["y"] > 844:
        failures.append(f"portal:home [{language}, {PHONE} px]: the latest update is not on screen")


@pytest.mark.browser
def test_no_page_scrolls_sideways(
    new_context: NewContext,
    live_server: LiveServer,
    alice: Persona,
    carol: Contact,
    alice_objects: dict[str, Any],  # noqa: F811 (the fixture imported above)
    long_words: None,
) -> None:
    def url(name: str) -> str:
        kwargs_map = OBJECT_URLS.get(name, ({}, ()))[0]
        return reverse(name, kwargs={kw: alice_objects[key].pk for kw, key in kwargs_map.items()})

    failures: list[str] = []
    started = time.monotonic()
    opened = 0
    for language in LANGUAGES:
        staff = new_context(viewport={"width": WIDE, "height": HEIGHT}).new_page()
        log_in(staff, alice.user.email, PASSWORD)
        _speak(staff.context, language, live_server.url)
        for name in sorted(STAFF_PAGES):
            _check(staff, url(name), name, language, failures)
        # The portal speaks the contact's language (portal.views.portal_view).
        Contact.objects.filter(pk=carol.pk).update(language=language)
        portal = new_context(viewport={"width": WIDE, "height": HEIGHT}).new_page()
        _speak(portal.context, language, live_server.url)
        for name, kwargs in sorted(PUBLIC_PAGES.items()):
            if name == "portal:open":
                _link, token = portal_link_create(contact=carol, actor=alice.user)
                kwargs = {"token": token}
            if name.startswith("portal:pulse"):
                update = ProjectUpdate.objects.filter(project=alice_objects["project"]).first()
                assert update is not None
                kwargs = {**kwargs, "token": pulse_token(contact_id=carol.pk, update_id=update.pk)}
            if name.startswith("portal:survey_link"):
                token = survey_token(contact_id=carol.pk, survey_id=alice_objects["survey"].pk)
                kwargs = {**kwargs, "token": token}
            _check(portal, reverse(name, kwargs=kwargs), name, language, failures)
        _link, token = portal_link_create(contact=carol, actor=alice.user)
        portal.goto(reverse("portal:open", args=[token]))
        portal.locator("main form button[type=submit]").click()
        portal.wait_for_url(f"**{reverse('portal:home')}")
        for name in sorted(PORTAL_PAGES):
            _check(portal, url(name), name, language, failures)
        _latest_update_on_first_screen(portal, language, failures)
        opened += len(STAFF_PAGES) + len(PUBLIC_PAGES) + len(PORTAL_PAGES)
    elapsed = time.monotonic() - started
    print(f"\n{opened} page loads, each at {WIDE} and {PHONE} px, in {elapsed:.1f} s")
    assert not failures, "\n".join(failures)
