"""Referrals and experts in a real browser (P32, P34): alice records that Carol of Acme
referred a new client, previews the Greek thank-you, sees the chain on both client pages,
adds an expert and recommends them to Acme, then records that they were hired."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rapport.care.model_referrals import Recommendation, Referral
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import NewContext, Screenshot, log_in, sections_loaded
from rapport.notifications.models import Notification

pytestmark = pytest.mark.browser


def test_a_referral_and_a_recommendation(
    new_context: NewContext, alice: Persona, acme: Client, carol: Contact, screenshot: Screenshot
) -> None:
    beta = client_create(workspace=alice.workspace, actor=alice.user, name="Beta Bakery")
    page = new_context().new_page()
    log_in(page, alice.user.email, PASSWORD)
    page.goto(f"/clients/{beta.pk}/")
    sections_loaded(page)
    card = page.locator("#referrals")
    card.get_by_role("link", name="Who referred them?").click()
    page.get_by_label("A contact of a client").check()
    page.get_by_label("The contact", exact=True).select_option(label="Carol Georgiou (Acme Ltd)")
    page.get_by_role("button", name="Preview the thank-you").click()
    expect(page.locator('pre[lang="el"]')).to_contain_text("Beta Bakery")
    page.get_by_role("button", name="Record").click()
    sections_loaded(page)
    expect(page.locator("#referrals")).to_contain_text("Carol Georgiou (Acme Ltd)")
    assert Referral.objects.get(client=beta).referrer_client_id == acme.pk
    assert Notification.objects.filter(kind="referral_thanks", contact=carol).count() == 1

    page.goto(f"/clients/{acme.pk}/")
    sections_loaded(page)
    expect(page.locator("#referrals")).to_contain_text("Beta Bakery")
    screenshot(page, "referrals-client-page")

    page.get_by_role("link", name="Experts").first.click()
    page.get_by_role("link", name="New expert").click()
    page.get_by_label("Name", exact=True).fill("Eleni Fotiou")
    page.get_by_label("Skills", exact=True).fill("product photography, retouching")
    page.get_by_label("Email", exact=True).fill("eleni@fotiou.example")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Eleni Fotiou")

    page.goto(f"/clients/{acme.pk}/")
    sections_loaded(page)
    page.locator("#recommendations").get_by_role("link", name="Recommend an expert").click()
    page.get_by_label("Expert", exact=True).select_option(label="Eleni Fotiou")
    page.get_by_label("Told to (optional)").select_option(label="Carol Georgiou")
    page.get_by_label("For what", exact=True).fill("Product photos for the shop.")
    page.get_by_label("Send it to the contact").check()
    page.get_by_role("button", name="Record").click()
    sections_loaded(page)
    expect(page.locator("#recommendations")).to_contain_text("Eleni Fotiou")
    page.locator("#recommendations").get_by_role("link", name="Outcome").click()
    page.get_by_label("Outcome", exact=True).select_option(label="Hired")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Acme Ltd")
    screenshot(page, "referrals-expert-page")
    assert Recommendation.objects.get().outcome == "hired"
    page.goto("/care/experts/?skill=retouching")
    expect(page.locator("main table")).to_contain_text("Eleni Fotiou")
    screenshot(page, "referrals-experts")
