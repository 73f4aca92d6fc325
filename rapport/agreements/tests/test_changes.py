"""Change requests (P19): raised, priced and dated, signed as an amendment, and what approval
moves (milestones, commitments, project date, payment schedule)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from rapport.agreements.changes.services import (
    change_request_approve,
    change_request_create,
    change_request_send,
    change_request_withdraw,
)
from rapport.agreements.contracts.services import contract_create_from_quote
from rapport.agreements.models import Document, PaymentStage
from rapport.agreements.signing.codes import signature_code_send
from rapport.agreements.signing.services import (
    Evidence,
    document_countersign,
    document_sign_client,
)
from rapport.agreements.tests.contract_fixtures import CODE, make_quote, portal_http
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.conversations.services import request_receive
from rapport.core.clock import BusinessHours, add_working_days, public_holidays
from rapport.core.errors import ApplicationError
from rapport.core.tests.sections import page_with_sections
from rapport.notifications.models import Alert, Notification
from rapport.projects.models import ChangeRequest, Milestone, Project
from rapport.projects.services import milestone_create, project_create

EVIDENCE = Evidence(ip="198.51.100.4", user_agent="pytest")
# Monday 23 November 2026, 10:00 in Athens.
T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(clock: time_machine.Traveller, alice: Persona, acme: Client) -> Project:
    return project_create(
        client=acme,
        actor=alice.user,
        title="New shop",
        start_date=dt.date(2026, 11, 16),
        due_date=dt.date(2026, 12, 31),
        status=Project.Status.ACTIVE,
    )


@pytest.fixture
def milestones(alice: Persona, shop: Project) -> list[Milestone]:
    return [
        milestone_create(project=shop, actor=alice.user, title=title, due_date=due)
        for title, due in (
            ("Wireframes", dt.date(2026, 11, 27)),  # a Friday
            ("Designs", dt.date(2026, 12, 4)),  # a Friday
            ("Build", dt.date(2026, 12, 18)),
        )
    ]


def _said(language: str, msgid: str, **params: str) -> str:
    """``msgid`` as a reader of ``language`` gets it; for another language, not the English."""
    with translation.override(language):
        text = gettext(msgid) % params
    assert language == "en" or text != msgid % params, f"no {language} translation: {msgid}"
    return text


def _sign(document: Document, contact: Contact) -> None:
    """The contact signs in the portal, which speaks their language."""
    with translation.override(contact.effective_language):
        signature_code_send(document=document, contact=contact)
        note = Notification.objects.filter(kind="signature_code", contact=contact).latest("id")
        found = CODE.search(note.body)
        assert found is not None, note.body
        document_sign_client(
            document=document,
            contact=contact,
            typed_name=contact.name,
            consent=True,
            code=found.group(1),
            evidence=EVIDENCE,
        )


@pytest.fixture
def signed(alice: Persona, acme: Client, carol: Contact, shop: Project) -> Document:
    contract = contract_create_from_quote(
        quote=make_quote(alice, acme, carol, shop, deposit=None), actor=alice.user
    )
    _sign(contract, carol)
    document_countersign(
        document=contract, actor=alice.user, typed_name="Alice", consent=True, evidence=EVIDENCE
    )
    return contract


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = dt.date(2026, 11, 27)
    weekdays = BusinessHours("UTC", dt.time(9), dt.time(17), frozenset(range(5)))
    assert add_working_days(friday, 1, weekdays) == dt.date(2026, 11, 30)
    assert add_working_days(friday, 5, weekdays) == dt.date(2026, 12, 4)
    assert add_working_days(friday, 0, weekdays) == friday
    six_days = BusinessHours("UTC", dt.time(9), dt.time(17), frozenset(range(6)))
    assert add_working_days(friday, 2, six_days) == dt.date(2026, 11, 30)
    # In Romania 30 November (St Andrew) and 1 December (national day) are holidays.
    romania = BusinessHours(
        "Europe/Bucharest",
        dt.time(9),
        dt.time(17),
        frozenset(range(5)),
        public_holidays("RO", 2026, 2026),
    )
    assert add_working_days(friday, 2, romania) == dt.date(2026, 12, 3)


def test_approval_by_signature_moves_dates_and_appends_a_payment(
    alice: Persona, carol: Contact, shop: Project, milestones: list[Milestone], signed: Document
) -> None:
    wireframes, designs, build = milestones
    change = change_request_create(
        project=shop,
        actor=alice.user,
        title="Blog section",
        description="A blog with categories.",
        price_impact="600",
        days_impact="3",
        milestone=designs,
    )
    amendment = change_request_send(change_request=change, actor=alice.user)
    assert amendment.kind == Document.Kind.AMENDMENT
    assert amendment.contract == signed
    assert amendment.change_request == change
    assert "Blog section" in amendment.data["change"]["title"]
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.AWAITING_SIGNATURE

    _sign(amendment, carol)  # the client's signature is the approval

    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    for m in milestones:
        m.refresh_from_db()
    assert wireframes.due_date == dt.date(2026, 11, 27)  # before the change: unmoved
    assert designs.due_date == dt.date(2026, 12, 9)  # Fri 4 + 3 working days = Wed 9
    assert build.due_date == dt.date(2026, 12, 23)
    shop.refresh_from_db()
    assert shop.due_date == dt.date(2027, 1, 5)
    old = Commitment.objects.get(milestone=designs, state=Commitment.State.RENEGOTIATED)
    # Kept as a reference (ADR 0021): carol reads it in her language, anyone else in theirs.
    assert old.reason_ref == {"text": "reason.change_request", "args": {"title": "Blog section"}}
    with translation.override(carol.effective_language):
        assert old.shown_reason == _said(
            carol.effective_language, "change request %(title)s", title="Blog section"
        )
    assert old.told_via == Commitment.ToldVia.NOTIFICATION
    assert old.told_at is not None
    new = Commitment.objects.get(milestone=designs, state=Commitment.State.OPEN)
    assert old.replaced_by == new
    assert Commitment.objects.filter(milestone=build, state=Commitment.State.OPEN).count() == 1
    assert not Commitment.objects.filter(milestone=wireframes).exclude(state="open").exists()
    stage = PaymentStage.objects.get(kind=PaymentStage.Kind.CHANGE)
    assert stage.change_request == change
    assert stage.amount == Decimal("600")
    assert stage.quote_id == signed.quote_id
    assert Alert.objects.filter(kind=Alert.Kind.CHANGE_DECIDED, subject_id=change.pk).exists()
    amendment.refresh_from_db()
    assert amendment.status == Document.Status.AWAITING_PROVIDER

    approved = _said(carol.effective_language, "This change is already approved.")
    with (
        translation.override(carol.effective_language),
        pytest.raises(ApplicationError, match=re.escape(approved)),
    ):
        change_request_approve(change_request=change, contact=carol)


def test_a_negative_price_impact_is_a_credit(
    alice: Persona, carol: Contact, shop: Project, milestones: list[Milestone], signed: Document
) -> None:
    change = change_request_create(
        project=shop,
        actor=alice.user,
        title="No newsletter",
        description="Drop the newsletter page.",
        price_impact="-150.50",
    )
    _sign(change_request_send(change_request=change, actor=alice.user), carol)
    assert PaymentStage.objects.get(kind="change").amount == Decimal("-150.50")
    assert all(
        m.due_date == orig
        for m, orig in zip(
            Milestone.objects.filter(project=shop).order_by("due_date"),
            [dt.date(2026, 11, 27), dt.date(2026, 12, 4), dt.date(2026, 12, 18)],
            strict=True,
        )
    )


@pytest.mark.parametrize(
    ("field", "price", "days"),
    [
        ("price_impact", "abc", "0"),
        ("price_impact", "10.123", "0"),
        ("price_impact", "99999999999999", "0"),
        ("days_impact", "0", "-2"),
        ("days_impact", "0", "1.5"),
        ("milestone", "0", "2"),  # days without the milestone that moves
    ],
)
def test_bad_impacts_are_refused(
    alice: Persona, shop: Project, field: str, price: str, days: str
) -> None:
    with pytest.raises(ApplicationError) as info:
        change_request_create(
            project=shop,
            actor=alice.user,
            title="X",
            description="Y",
            price_impact=price,
            days_impact=days,
        )
    assert info.value.field == field
    assert not ChangeRequest.objects.exists()


def test_no_amendment_without_a_signed_contract(
    alice: Persona, acme: Client, carol: Contact, shop: Project, milestones: list[Milestone]
) -> None:
    change = change_request_create(project=shop, actor=alice.user, title="X", description="Y")
    # alice sends in her language; the approval comes from carol's signature, in hers.
    not_yet = _said(
        alice.user.language, "The project has no contract signed by both sides to amend yet."
    )
    not_signed = _said(
        carol.effective_language, "The project has no contract signed by both sides to amend."
    )
    with (
        translation.override(alice.user.language),
        pytest.raises(ApplicationError, match=re.escape(not_yet)),
    ):
        change_request_send(change_request=change, actor=alice.user)
    contract_create_from_quote(quote=make_quote(alice, acme, carol, shop), actor=alice.user)
    with (
        translation.override(alice.user.language),
        pytest.raises(ApplicationError, match=re.escape(not_yet)),
    ):
        change_request_send(change_request=change, actor=alice.user)
    with (
        translation.override(carol.effective_language),
        pytest.raises(ApplicationError, match=re.escape(not_signed)),
    ):
        change_request_approve(change_request=change, contact=carol)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PROPOSED
    assert not Document.objects.filter(kind="amendment").exists()


def test_a_withdrawn_change_cannot_be_approved(
    alice: Persona, carol: Contact, shop: Project, milestones: list[Milestone], signed: Document
) -> None:
    change = change_request_create(project=shop, actor=alice.user, title="X", description="Y")
    amendment = change_request_send(change_request=change, actor=alice.user)
    change_request_withdraw(change_request=change, actor=alice.user)
    amendment.refresh_from_db()
    assert amendment.status == Document.Status.VOID
    # Both refusals are carol's, in the portal, in her language.
    language = carol.effective_language
    change_gone = _said(language, "This change was withdrawn or rejected; it cannot be approved.")
    document_gone = _said(language, "This document was withdrawn; it cannot be signed.")
    with translation.override(language):
        with pytest.raises(ApplicationError, match=re.escape(change_gone)):
            change_request_approve(change_request=change, contact=carol)
        with pytest.raises(ApplicationError, match=re.escape(document_gone)):
            signature_code_send(document=amendment, contact=carol)


def test_client_raises_in_portal_provider_prices_then_client_rejects(
    alice: Persona,
    alice_http: HttpClient,
    carol: Contact,
    shop: Project,
    milestones: list[Milestone],
    signed: Document,
) -> None:
    http = portal_http(carol)
    response = http.post(
        reverse("portal:change_new"),
        {"project": shop.pk, "title": "Dark mode", "description": "A dark theme too."},
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.raised_by == ChangeRequest.RaisedBy.CLIENT
    assert change.raised_by_contact == carol
    assert Alert.objects.filter(kind=Alert.Kind.CHANGE_REQUESTED).exists()

    response = alice_http.post(
        reverse("agreements:change_edit", args=[change.pk]),
        {
            "title": "Dark mode",
            "description": "A dark theme too.",
            "price_impact": "300",
            "days_impact": "2",
            "milestone": milestones[2].pk,
        },
    )
    assert response.status_code == 302
    alice_http.post(reverse("agreements:change_send", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.AWAITING_SIGNATURE
    home = page_with_sections(http, reverse("portal:home"))
    assert "Dark mode" in home and reverse("portal:sign", args=[change.amendment.pk]) in home

    empty = http.post(reverse("portal:change_reject", args=[change.pk]), {"reason": " "})
    assert empty.status_code == 400
    http.post(reverse("portal:change_reject", args=[change.pk]), {"reason": "Too expensive"})
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert change.reject_reason == "Too expensive"
    change.amendment.refresh_from_db()
    assert change.amendment.status == Document.Status.VOID
    milestones[2].refresh_from_db()
    assert milestones[2].due_date == dt.date(2026, 12, 18)
    assert not PaymentStage.objects.filter(kind="change").exists()


def test_turning_a_request_into_a_change_closes_it(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact, shop: Project
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="email", subject="Add a blog", body="Can we?"
    )
    page = alice_http.get(reverse("conversations:detail", args=[request.pk])).content.decode()
    assert reverse("agreements:change_from_request", args=[request.pk]) in page
    response = alice_http.post(
        reverse("agreements:change_from_request", args=[request.pk]), {"project": shop.pk}
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:change_edit", args=[change.pk])
    assert change.request == request and change.title == "Add a blog"
    request.refresh_from_db()
    assert request.state == Request.State.DONE
    assert "Add a blog" in request.answer


def test_staff_pages(
    alice: Persona, alice_http: HttpClient, shop: Project, milestones: list[Milestone]
) -> None:
    page = alice_http.get(reverse("agreements:change_create", args=[shop.pk]))
    assert page.status_code == 200
    bad = alice_http.post(
        reverse("agreements:change_create", args=[shop.pk]),
        {"title": "X", "description": "Y", "price_impact": "1,2,3"},
    )
    assert bad.status_code == 400
    good = alice_http.post(
        reverse("agreements:change_create", args=[shop.pk]),
        {"title": "Extra page", "description": "About us", "price_impact": "120"},
    )
    change = ChangeRequest.objects.get()
    assert good["Location"] == reverse("agreements:change_detail", args=[change.pk])
    detail = alice_http.get(good["Location"]).content.decode()
    assert "Extra page" in detail
    # The project page's change requests card, loaded after the page.
    card = reverse("agreements:project_changes", args=[shop.pk])
    project_page = alice_http.get(reverse("projects:detail", args=[shop.pk])).content.decode()
    assert f'hx-get="{card}"' in project_page
    assert "Extra page" in alice_http.get(card, headers={"HX-Request": "true"}).content.decode()


def test_another_clients_contact_cannot_see_or_reject(
    alice: Persona, carol: Contact, shop: Project, milestones: list[Milestone], signed: Document
) -> None:
    change = change_request_create(project=shop, actor=alice.user, title="X", description="Y")
    change_request_send(change_request=change, actor=alice.user)
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other Co")
    olga = contact_create(client=other, actor=alice.user, name="Olga", email="olga@other.example")
    http = portal_http(olga)
    url = reverse("portal:change_reject", args=[change.pk])
    assert http.get(url).status_code == 404
    assert http.post(url, {"reason": "no"}).status_code == 404
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.AWAITING_SIGNATURE
    change.refresh_from_db()
    home = page_with_sections(http, reverse("portal:home"))
    assert reverse("portal:sign", args=[change.amendment.pk]) not in home
    assert reverse("portal:change_reject", args=[change.pk]) not in home
