"""A handover in a real browser (P27): the note starts from the client's temperament and open
promises, cannot be left empty, reaches the client's Greek contact over SMTP in Greek, and
waits on the client page for the new owner until they mark it read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from rapport.accounts.models import Membership, User
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_update
from rapport.commitments.services import promise_create
from rapport.conftest import PASSWORD, Persona
from rapport.e2e.conftest import Inbox, NewContext, log_in
from rapport.notifications.delivery import deliver_due

pytestmark = pytest.mark.browser


def test_handover_note_mail_and_read(
    new_context: NewContext,
    inbox: Inbox,
    live_server: LiveServer,
    alice: Persona,
    acme: Client,
    carol: Contact,
) -> None:
    bob = User.objects.create_user(email="bob@example.com", password=PASSWORD, name="Bob Ionescu")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    client_update(client=acme, actor=alice.user, temperament_notes="Hates calls before ten.")
    promise_create(
        client=acme,
        actor=alice.user,
        wording="Send the price list",
        due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
    )

    # The notice waits for carol's hours (tested elsewhere); the journey must not depend on the
    # hour it runs at, so her hours span the whole day here.
    Contact.objects.filter(pk=carol.pk).update(
        contact_hours_start=dt.time(0), contact_hours_end=dt.time(23, 59, 59, 999999)
    )

    staff = new_context().new_page()
    log_in(staff, alice.user.email, PASSWORD)
    staff.goto(f"/clients/{acme.pk}/")
    staff.get_by_role("link", name="Hand over").click()
    note = staff.get_by_label("Handover note")
    expect(note).to_have_value(re.compile("Hates calls before ten."))
    expect(note).to_have_value(re.compile("Send the price list"))

    staff.get_by_label("New account owner").select_option(label="Bob Ionescu")
    note.fill("")
    staff.locator("main form").get_by_role("button", name="Hand over").click()
    expect(staff.locator("main form")).to_contain_text("This field is required")
    acme.refresh_from_db()
    assert acme.account_owner_id == alice.user.pk

    staff.get_by_label("New account owner").select_option(label="Bob Ionescu")
    staff.get_by_label("Handover note").fill("Pays late but always pays; be kind.")
    staff.locator("main form").get_by_role("button", name="Hand over").click()
    expect(staff).to_have_url(re.compile(rf"/clients/{acme.pk}/$"))
    expect(staff.locator("main")).to_contain_text("Account owner: Bob Ionescu")
    # The old owner does not get the note card: it is for the new owner.
    expect(staff.locator("#handover-note")).to_have_count(0)

    # The outbox sends the notice to carol over real SMTP, in Greek.
    assert deliver_due(worker="e2e") == 1
    (mail,) = inbox.wait_for(1)
    assert mail.rcpt_tos == [carol.email]
    assert "Η νέα σας επαφή" in mail.subject and "Bob Ionescu" in mail.subject
    assert "Bob Ionescu" in mail.text and "bob@example.com" in mail.text

    new_owner = new_context().new_page()
    log_in(new_owner, bob.email, PASSWORD)
    new_owner.goto(f"/clients/{acme.pk}/")
    card = new_owner.locator("#handover-note")
    expect(card).to_contain_text("Pays late but always pays; be kind.")
    expect(card).to_contain_text("Alice Papadopoulou")
    card.get_by_role("button", name="Mark read").click()
    expect(new_owner).to_have_url(re.compile(rf"/clients/{acme.pk}/$"))
    expect(new_owner.locator("#handover-note")).to_have_count(0)
