"""The provider hears at once (P14), sent as the workspace, one outbox, digests when due.

Real servers on 127.0.0.1: an aiosmtpd SMTP server and an HTTP endpoint standing for ntfy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.header import decode_header, make_header

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings as SettingsWrapper

from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.workspace_settings import workspace_sender_update
from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_send
from rapport.conftest import PASSWORD, Persona
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.core.periodic import tick_run
from rapport.notifications.delivery import deliver_due
from rapport.notifications.members import member_notify_update
from rapport.notifications.models import Alert, DigestSent, Notification
from rapport.notifications.scanners import send_daily_digests
from rapport.notifications.services import alert_raise
from rapport.notifications.tests.conftest import HookServer, SmtpServer

# Monday 23 November 2026, 21:00 in Athens (UTC+2).
MONDAY_21_ATHENS = dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.UTC)


@pytest.fixture
def evening() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_21_ATHENS, tick=False) as traveller:
        yield traveller


def quiet(alice: Persona, start: int = 20, end: int = 8) -> Membership:
    return member_notify_update(
        membership=alice.membership,
        channel="email",
        address="",
        quiet_hours_start=dt.time(start),
        quiet_hours_end=dt.time(end),
    )


def test_a_new_request_notifies_the_owner_at_once(
    evening: time_machine.Traveller, alice: Persona, carol: Contact, acme: Client
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="portal", subject="New banner", body="Please"
    )
    note = Notification.objects.get(user=alice.user)
    assert (note.channel, note.address, note.client_id) == ("email", "alice@example.com", None)
    assert note.not_before == MONDAY_21_ATHENS
    assert "New banner" in note.body and f"/requests/{request.pk}/" in note.body


def test_quiet_hours_hold_the_notice_until_they_end(
    evening: time_machine.Traveller, alice: Persona, carol: Contact, acme: Client
) -> None:
    quiet(alice)
    request_receive(client=acme, contact=carol, source="portal", subject="Logo", body="x")
    note = Notification.objects.get(user=alice.user)
    # 08:00 on Tuesday in Athens.
    assert note.not_before == dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    assert not note.urgent


def test_an_urgent_request_goes_through_quiet_hours(
    evening: time_machine.Traveller, alice: Persona, acme: Client
) -> None:
    quiet(alice)
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.REQUEST_RECEIVED,
        dedupe_key="request_received:urgent",
        client=acme,
        data={"subject": "Site down", "name": "Carol", "urgent": True},
    )
    note = Notification.objects.get(user=alice.user)
    assert note.urgent and note.not_before == MONDAY_21_ATHENS
    assert note.subject.startswith("Urgent:")


def test_the_account_owner_is_told_not_the_workspace_owner(
    evening: time_machine.Traveller, alice: Persona, acme: Client
) -> None:
    bob = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.REPLY_RECEIVED,
        dedupe_key="reply_received:1",
        client=acme,
        assignee=bob,
        data={"subject": "Re: logo", "name": "Carol"},
    )
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["bob@example.com"]


def test_other_alerts_notify_nobody_at_once(alice: Persona, acme: Client) -> None:
    alert_raise(workspace=alice.workspace, kind=Alert.Kind.UPDATE_DUE, dedupe_key="u", client=acme)
    assert not Notification.objects.filter(user__isnull=False).exists()


def test_the_notice_reaches_ntfy_over_http(
    evening: time_machine.Traveller,
    settings: SettingsWrapper,
    hook_server: HookServer,
    alice: Persona,
    carol: Contact,
    acme: Client,
) -> None:
    settings.CHANNEL_URLS = {
        **settings.CHANNEL_URLS,
        "ntfy": f"ntfy://127.0.0.1:{hook_server.port}/{{to}}",
    }
    member_notify_update(
        membership=alice.membership,
        channel="ntfy",
        address="alice-requests",
        quiet_hours_start=None,
        quiet_hours_end=None,
    )
    request_receive(client=acme, contact=carol, source="portal", subject="Menu", body="x")
    note = Notification.objects.get(user=alice.user)
    assert (note.channel, note.address) == ("ntfy", "alice-requests")
    assert deliver_due(worker="test") >= 1
    note.refresh_from_db()
    assert note.state == Notification.State.SENT, note.last_error
    assert any(b"Menu" in r.body for r in hook_server.received)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "pigeon"}, "notify_channel"),
        ({"channel": "ntfy", "address": ""}, "notify_address"),
        ({"channel": "ntfy", "address": "no spaces allowed"}, "notify_address"),
        ({"quiet_hours_start": dt.time(22)}, "quiet_hours_end"),
        ({"quiet_hours_start": dt.time(22), "quiet_hours_end": dt.time(22)}, "quiet_hours_end"),
    ],
)
def test_bad_member_channels_are_refused(
    settings: SettingsWrapper, alice: Persona, changes: dict[str, object], field: str
) -> None:
    settings.CHANNEL_URLS = {**settings.CHANNEL_URLS, "ntfy": "ntfy://ntfy.example/{to}"}
    data: dict[str, object] = {
        "channel": "email",
        "address": "",
        "quiet_hours_start": None,
        "quiet_hours_end": None,
        **changes,
    }
    with pytest.raises(ApplicationError) as exc:
        member_notify_update(membership=alice.membership, **data)  # type: ignore[arg-type]
    assert field in exc.value.errors
    alice.membership.refresh_from_db()
    assert alice.membership.notify_channel == "email"


# --- Sent as you --------------------------------------------------------------------------------


def test_client_email_comes_from_the_workspace_with_the_inbound_reply_to(
    settings: SettingsWrapper, smtp_settings: SmtpServer, alice: Persona, carol: Contact
) -> None:
    settings.INBOUND_EMAIL_ADDRESS = "replies@rapport.example"
    portal_link_send(contact=carol, actor=None)
    assert deliver_due(worker="test") == 1
    assert smtp_settings.wait_for(1)
    [received] = smtp_settings.received
    # "via" is written in the recipient's language (Carol reads Greek).
    assert carol.effective_language == "el"
    from_header = str(make_header(decode_header(received.message["From"])))
    assert from_header == "Alice Design μέσω Rapport <rapport@localhost>"
    token = alice.workspace.inbound_token
    assert received.message["Reply-To"] == f"replies+{token}@rapport.example"


def test_own_sender_address_and_reply_to_it_without_inbound(
    settings: SettingsWrapper, smtp_settings: SmtpServer, alice: Persona, carol: Contact
) -> None:
    settings.INBOUND_EMAIL_ADDRESS = ""
    workspace_sender_update(
        membership=alice.membership, sender_name="Alice P.", sender_email="Hello@Alice.example"
    )
    portal_link_send(contact=carol, actor=None)
    assert deliver_due(worker="test") == 1
    assert smtp_settings.wait_for(1)
    [received] = smtp_settings.received
    assert received.message["From"] == '"Alice P." <hello@alice.example>'
    assert received.message["Reply-To"] == "hello@alice.example"
    assert received.mail_from == "hello@alice.example"


@pytest.mark.parametrize(
    ("name", "address", "field"),
    [
        ("Alice\r\nBcc: x@evil.example", "", "sender_name"),
        ("<Alice>", "", "sender_name"),
        ("A" * 101, "", "sender_name"),
        ("Alice", "not an address", "sender_email"),
    ],
)
def test_bad_senders_are_refused(alice: Persona, name: str, address: str, field: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        workspace_sender_update(membership=alice.membership, sender_name=name, sender_email=address)
    assert field in exc.value.errors
    assert Workspace.objects.get(pk=alice.workspace.pk).sender_name == ""


# --- One outbox ---------------------------------------------------------------------------------


def test_a_magic_link_is_an_outbox_row_in_the_contacts_language(
    alice: Persona, carol: Contact
) -> None:
    portal_link_send(contact=carol, actor=alice.user)
    note = Notification.objects.get(kind="portal_link")
    assert (note.contact_id, note.channel, note.language) == (carol.pk, "email", "el")
    assert "/p/open/" in note.body or "/p/" in note.body


# --- Digests, when due --------------------------------------------------------------------------


def _members(workspace: Workspace, count: int, prefix: str) -> None:
    for i in range(count):
        user = User.objects.create_user(f"{prefix}{i}@example.com", None, name=f"{prefix}{i}")
        Membership.objects.create(
            workspace=workspace,
            user=user,
            digest_due_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),  # not due yet
        )


def _digest_queries(now: dt.datetime) -> int:
    with CaptureQueriesContext(connection) as ctx:
        send_daily_digests(now)
    return len(ctx.captured_queries)


def test_the_digest_scanner_reads_only_the_members_due(alice: Persona, acme: Client) -> None:
    alert_raise(workspace=alice.workspace, kind=Alert.Kind.UPDATE_DUE, dedupe_key="d", client=acme)
    seven = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # 07:00 in Athens
    send_daily_digests(seven)  # alice had no due time: she gets one, 08:00 Athens
    alice.membership.refresh_from_db()
    assert alice.membership.digest_due_at == dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
    # Nobody due: one query, with 10 members or 100.
    _members(alice.workspace, 10, "m")
    assert _digest_queries(seven) == 1
    _members(alice.workspace, 90, "n")
    assert _digest_queries(seven) == 1
    # Alice due: her digest is written, the same number of queries whatever the members.
    eight = dt.datetime(2026, 11, 23, 6, 1, tzinfo=dt.UTC)
    with_alice = _digest_queries(eight)
    assert Notification.objects.filter(user=alice.user, kind="digest").count() == 1
    assert DigestSent.objects.filter(user=alice.user).count() == 1
    alice.membership.refresh_from_db()
    assert alice.membership.digest_due_at == dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    assert with_alice <= 8
    assert _digest_queries(eight) == 1  # done for today


def test_a_new_time_zone_moves_the_digest(alice: Persona) -> None:
    from rapport.accounts.services import user_update_preferences

    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        user_update_preferences(
            user=alice.user, name=alice.user.name, language="en", timezone_name="Asia/Jakarta"
        )
    alice.membership.refresh_from_db()
    # 08:00 on the 24th in Jakarta (UTC+7).
    assert alice.membership.digest_due_at == dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)


def test_the_tick_sends_the_digest_through_the_outbox(
    smtp_settings: SmtpServer, alice: Persona, acme: Client
) -> None:
    alert_raise(
        workspace=alice.workspace,
        kind=Alert.Kind.UPDATE_DUE,
        dedupe_key="t",
        client=acme,
        data={"wording": "Progress update on Shop"},
    )
    Membership.objects.filter(pk=alice.membership.pk).update(
        digest_due_at=dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
    )
    with time_machine.travel(dt.datetime(2026, 11, 23, 6, 0, 30, tzinfo=dt.UTC), tick=False):
        tick_run()
        tick_run()
        deliver_due(worker="test")
    assert smtp_settings.wait_for(1)
    [received] = smtp_settings.received
    assert received.rcpt_tos == ["alice@example.com"]
    assert "Progress update on Shop" in received.text
    assert received.message["Reply-To"] is None
