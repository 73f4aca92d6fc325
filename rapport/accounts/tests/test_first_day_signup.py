"""Sign-up on the first day: the page's language suggests currency and time zone (never UTC
by default), the browser's zone may fill it, and unfinished sign-ups are pruned."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.forms import SignupForm
from rapport.accounts.models import Membership, User, Workspace
from rapport.accounts.services import invitation_create
from rapport.accounts.signup import signup_request
from rapport.accounts.signup_prune import signups_prune
from rapport.accounts.suggestions import LANGUAGE_SUGGESTIONS, suggestion_for
from rapport.conftest import PASSWORD, Persona
from rapport.core.errors import ApplicationError
from rapport.core.periodic import JOBS, tick_run
from rapport.core.validation import check_currency, check_timezone
from rapport.notifications.models import Notification


def _signup_page(language: str) -> str:
    http = HttpClient()
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return http.get(reverse("accounts:signup")).content.decode()


def _selected(body: str, value: str) -> bool:
    return f'<option value="{value}" selected>' in body


@pytest.mark.parametrize(
    ("language", "currency", "zone"),
    [
        ("ro", "RON", "Europe/Bucharest"),
        ("el", "EUR", "Europe/Athens"),
        ("id", "IDR", "Asia/Jakarta"),
    ],
)
def test_page_language_suggests_currency_and_zone(
    db: None, language: str, currency: str, zone: str
) -> None:
    body = _signup_page(language)
    assert _selected(body, language) and _selected(body, currency) and _selected(body, zone)
    assert "data-browser-timezone" in body


def test_english_page_does_not_default_to_utc(db: None) -> None:
    body = _signup_page("en")
    assert not _selected(body, "UTC")
    assert '<option value="" selected>' in body  # "Choose your time zone"
    form = SignupForm(
        {"name": "B", "email": "b@example.com", "password": PASSWORD, "workspace_name": "B"},
        language="en",
    )
    assert not form.is_valid() and "timezone" in form.errors


def test_suggestions_are_values_the_forms_accept() -> None:
    for suggestion in LANGUAGE_SUGGESTIONS.values():
        check_currency(suggestion["currency"])
        check_timezone(suggestion["timezone"])
    assert suggestion_for("ro-RO") == {"currency": "RON", "timezone": "Europe/Bucharest"}
    assert suggestion_for("en") == {}


def test_signup_keeps_the_chosen_currency_and_refuses_an_old_zone(db: None) -> None:
    http = HttpClient()
    form = {
        "name": "Bob Ionescu",
        "email": "bob@example.com",
        "password": PASSWORD,
        "workspace_name": "Bob Dev",
        "language": "ro",
        "currency": "EUR",
    }
    refused = http.post(reverse("accounts:signup"), form | {"timezone": "Europe/Kiev"})
    assert "timezone" in refused.context["form"].errors
    assert not User.objects.filter(email="bob@example.com").exists()
    http.post(reverse("accounts:signup"), form | {"timezone": "Europe/Kyiv"})
    workspace = Membership.objects.get(user__email="bob@example.com").workspace
    assert (workspace.default_currency, workspace.timezone) == ("EUR", "Europe/Kyiv")


def test_service_refuses_an_unknown_currency(db: None) -> None:
    with pytest.raises(ApplicationError) as exc:
        signup_request(
            email="bob@example.com",
            name="Bob",
            password=PASSWORD,
            workspace_name="Bob Dev",
            timezone_name="Europe/Bucharest",
            currency="LEI",
        )
    assert exc.value.field == "currency"


def _pending(email: str, days_ago: float) -> User:
    signup_request(
        email=email,
        name="Bob",
        password=PASSWORD,
        workspace_name="Bob Dev",
        timezone_name="Europe/Bucharest",
    )
    user = User.objects.get(email=email)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_ago))
    return user


@override_settings(SIGNUP_PENDING_DAYS=7)
def test_unfinished_signups_are_pruned_after_the_period(alice: Persona) -> None:
    old = _pending("old@example.com", 7.5)
    old_workspace = Membership.objects.get(user=old).workspace_id
    recent = _pending("recent@example.com", 6)
    # A finished (active) account is kept however old it is.
    User.objects.filter(pk=alice.user.pk).update(date_joined=timezone.now() - timedelta(days=90))
    assert signups_prune in JOBS
    assert tick_run()["signups_prune"] == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert not Workspace.objects.filter(pk=old_workspace).exists()
    assert User.objects.filter(pk=recent.pk).exists()
    assert User.objects.filter(pk=alice.user.pk).exists()
    assert Workspace.objects.filter(pk=alice.workspace.pk).exists()
    assert signups_prune(timezone.now()) == 0  # idempotent


@override_settings(SIGNUP_PENDING_DAYS=2)
def test_period_is_a_setting_and_a_new_attempt_restarts_it(db: None) -> None:
    user = _pending("bob@example.com", 3)
    signup_request(  # signing up again: the period counts from now
        email="bob@example.com",
        name="Bob",
        password=PASSWORD,
        workspace_name="Bob Dev",
        timezone_name="Europe/Bucharest",
    )
    assert signups_prune(timezone.now()) == 0
    assert signups_prune(timezone.now() + timedelta(days=2, hours=1)) == 1
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_workspace_with_another_member_is_kept(alice: Persona) -> None:
    user = _pending("bob@example.com", 30)
    Membership.objects.create(workspace=alice.workspace, user=user, role=Membership.Role.MEMBER)
    assert signups_prune(timezone.now()) == 1
    assert Workspace.objects.filter(pk=alice.workspace.pk).exists()
    assert Membership.objects.filter(workspace=alice.workspace).count() == 1


def test_invited_member_gets_the_zone_they_choose(alice: Persona) -> None:
    invitation_create(membership=alice.membership, email="bob@example.com")
    note = Notification.objects.get(kind="invitation")
    found = re.search(r"/accounts/invitation/[^/\s]+/", note.body)
    assert found is not None
    http = HttpClient()
    url = found.group(0)
    page = http.get(url).content.decode()
    assert "data-browser-timezone" in page
    assert '<option value="Europe/Athens" selected>' in page  # the workspace's, until changed
    refused = http.post(url, {"name": "Bob", "password": PASSWORD, "timezone": "US/Eastern"})
    assert "timezone" in refused.context["form"].errors
    http.post(url, {"name": "Bob", "password": PASSWORD, "timezone": "Asia/Jakarta"})
    assert User.objects.get(email="bob@example.com").timezone == "Asia/Jakarta"


def test_settings_let_the_browser_replace_utc_but_not_a_chosen_zone(
    alice: Persona, alice_http: HttpClient
) -> None:
    def zone_select(form_prefix: str) -> str:
        body = alice_http.get(reverse("accounts:settings")).content.decode()
        found = re.search(rf'<select name="{form_prefix}-timezone"[^>]*>', body)
        assert found is not None
        return found.group(0)

    # alice chose Europe/Athens at sign-up: left alone; her preferences too.
    assert "data-browser-timezone" not in zone_select("ws")
    assert "data-browser-timezone" not in zone_select("me")
    Workspace.objects.filter(pk=alice.workspace.pk).update(timezone="UTC")
    User.objects.filter(pk=alice.user.pk).update(timezone="UTC")
    assert "data-browser-timezone" in zone_select("ws")
    assert "data-browser-timezone" in zone_select("me")


def test_workspace_currency_is_chosen_from_the_list(alice: Persona, alice_http: HttpClient) -> None:
    form = {
        "ws-name": "Alice Design",
        "ws-default_language": "ro",
        "ws-timezone": "Europe/Bucharest",
    }
    refused = alice_http.post(
        reverse("accounts:workspace_save"), form | {"ws-default_currency": "LEI"}
    )
    assert refused.status_code == 400
    assert "default_currency" in refused.context["workspace_form"].errors
    saved = alice_http.post(
        reverse("accounts:workspace_save"), form | {"ws-default_currency": "RON"}
    )
    assert saved.status_code == 302
    workspace = Workspace.objects.get(pk=alice.workspace.pk)
    assert (workspace.default_currency, workspace.timezone) == ("RON", "Europe/Bucharest")
