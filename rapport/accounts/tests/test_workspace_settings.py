"""Settings a provider can change: each refusal names its field and writes nothing; only the
owner changes them; members see them read-only; the ETA follows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.workspace_settings import (
    WorkingTime,
    member_capacity_set,
    workspace_working_time_update,
)
from rapport.clients.models import Client
from rapport.clients.services import contact_create
from rapport.conftest import PASSWORD, Persona
from rapport.conversations.services import request_eta
from rapport.core.errors import ApplicationError

GOOD = WorkingTime(
    business_hours_start=dt.time(10),
    business_hours_end=dt.time(18),
    business_days=[0, 1, 2, 3],
    holiday_country="ro",
    response_target_hours=8,
    response_alert_percent=50,
    delay_warning_days=5,
    default_contact_hours_start=dt.time(9),
    default_contact_hours_end=dt.time(19),
)


@pytest.fixture
def bob(alice: Persona) -> Membership:
    user = User.objects.create_user("bob@example.com", PASSWORD, name="Bob")
    return Membership.objects.create(workspace=alice.workspace, user=user)


def test_the_owner_saves_working_time_and_the_eta_follows(alice: Persona, acme: Client) -> None:
    workspace_working_time_update(membership=alice.membership, settings=GOOD)
    workspace = Workspace.objects.get(pk=alice.workspace.pk)
    assert (workspace.business_days, workspace.holiday_country) == ("0,1,2,3", "RO")
    # Thursday 26 Nov 2026 17:00 in Athens (UTC+2): Friday is not a business day any more,
    # and 30 Nov and 1 Dec are Romanian public holidays, so 8 business hours (10-18) run
    # 17-18 on Thursday and 10-17 on Wednesday 2 December.
    acme.workspace = workspace
    eta, alert_at = request_eta(
        client=acme, received_at=dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
    )
    assert eta == dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
    # 50 %: four business hours in.
    assert alert_at == dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)


def test_new_contacts_get_the_default_contact_hours(alice: Persona, acme: Client) -> None:
    workspace_working_time_update(membership=alice.membership, settings=GOOD)
    acme.workspace.refresh_from_db()
    dan = contact_create(client=acme, actor=alice.user, name="Dan", email="dan@acme.example")
    assert (dan.contact_hours_start, dan.contact_hours_end) == (dt.time(9), dt.time(19))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"business_hours_end": dt.time(9)}, "business_hours_end"),
        ({"business_hours_end": dt.time(10)}, "business_hours_end"),
        ({"business_days": []}, "business_days"),
        ({"business_days": [7]}, "business_days"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"response_target_hours": 0}, "response_target_hours"),
        ({"response_target_hours": 241}, "response_target_hours"),
        ({"response_alert_percent": 0}, "response_alert_percent"),
        ({"response_alert_percent": 101}, "response_alert_percent"),
        ({"delay_warning_days": -1}, "delay_warning_days"),
        ({"delay_warning_days": 61}, "delay_warning_days"),
        ({"default_contact_hours_end": dt.time(9)}, "default_contact_hours_end"),
    ],
)
def test_bad_working_time_is_refused_naming_the_field(
    alice: Persona, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        workspace_working_time_update(
            membership=alice.membership,
            settings=replace(GOOD, **changes),  # type: ignore[arg-type]
        )
    assert field in exc.value.errors
    assert Workspace.objects.get(pk=alice.workspace.pk).business_days == "0,1,2,3,4"


def test_only_the_owner_changes_settings(bob: Membership, alice: Persona) -> None:
    with pytest.raises(ApplicationError) as exc:
        workspace_working_time_update(membership=bob, settings=GOOD)
    assert exc.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        member_capacity_set(membership=bob, member_id=bob.pk, hours=10)


@pytest.mark.parametrize("hours", [-1, 81])
def test_capacity_is_0_to_80(alice: Persona, bob: Membership, hours: int) -> None:
    with pytest.raises(ApplicationError) as exc:
        member_capacity_set(membership=alice.membership, member_id=bob.pk, hours=hours)
    assert "weekly_capacity_hours" in exc.value.errors
    bob.refresh_from_db()
    assert bob.weekly_capacity_hours == 30


def test_the_owner_sets_capacity_in_the_members_list(
    alice: Persona, alice_http: HttpClient, bob: Membership
) -> None:
    url = reverse("accounts:member_capacity_save", args=[bob.pk])
    assert alice_http.post(url, {"weekly_capacity_hours": "20"}).status_code == 302
    bob.refresh_from_db()
    assert bob.weekly_capacity_hours == 20
    response = alice_http.post(url, {"weekly_capacity_hours": "99"})
    assert response.status_code == 400
    assert "from 0 to 80" in response.content.decode()


def test_a_bad_form_shows_the_error_on_its_field(alice_http: HttpClient) -> None:
    response = alice_http.post(
        reverse("accounts:working_time_save"),
        {
            "wt-business_hours_start": "17:00",
            "wt-business_hours_end": "09:00",
            "wt-business_days": ["0"],
            "wt-holiday_country": "GR",
            "wt-response_target_hours": "4",
            "wt-response_alert_percent": "75",
            "wt-delay_warning_days": "3",
            "wt-default_contact_hours_start": "08:00",
            "wt-default_contact_hours_end": "20:00",
        },
    )
    assert response.status_code == 400
    assert "Business hours must end after they start." in response.content.decode()


def test_the_settings_page_offers_gr_ro_id_first(alice_http: HttpClient) -> None:
    page = alice_http.get(reverse("accounts:settings")).content.decode()
    greece, romania, indonesia = (page.index(f'value="{c}"') for c in ("GR", "RO", "ID"))
    assert greece < romania < indonesia < page.index('value="AT"')
    assert reverse("accounts:sender_save") in page
    assert reverse("notifications:member_notify_save") in page


def test_a_member_sees_the_settings_read_only(alice: Persona, bob: Membership) -> None:
    http = HttpClient()
    http.force_login(bob.user)
    page = http.get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:working_time_save") not in page
    assert reverse("accounts:sender_save") not in page
    assert reverse("accounts:member_capacity_save", args=[bob.pk]) not in page
    assert "via Rapport" in page
    # Their own channel and quiet hours they do set.
    assert reverse("notifications:member_notify_save") in page
