from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import time_machine
from django.core import mail
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from rapport.clients.models import Contact, PortalLink
from rapport.clients.portal_links.services import (
    portal_link_create,
    portal_link_send,
    portal_links_revoke,
)
from rapport.conftest import Persona
from rapport.core.models import TimelineEvent
from rapport.core.tests.sections import page_with_sections
from rapport.core.tokens import token_hash
from rapport.notifications.delivery import deliver_due
from rapport.projects.models import Deliverable, Milestone

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _without_per_request_secrets(body: bytes) -> str:
    """The page without its CSRF token and CSP nonce, which differ on every response."""
    text = body.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


def _open(http: HttpClient, token: str) -> _MonkeyPatchedWSGIResponse:
    return http.post(reverse("portal:open", args=[token]))


def test_token_is_random_hashed_and_bound_to_contact(carol: Contact, alice: Persona) -> None:
    link, token = portal_link_create(contact=carol, actor=alice.user)
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    assert link.token_hash == token_hash(token)
    assert not PortalLink.objects.filter(token_hash=token).exists()
    assert link.contact == carol


def test_get_shows_confirm_page_without_creating_a_session(carol: Contact, alice: Persona) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    response = http.get(reverse("portal:open", args=[token]))
    assert response.status_code == 200
    assert response["Content-Language"] == "el"
    assert http.get(reverse("portal:home")).status_code == 404
    # A scanner's GET does not use up the link.
    assert _open(http, token).status_code == 302
    assert http.get(reverse("portal:home")).status_code == 200


def test_link_works_once(carol: Contact, alice: Persona) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    assert _open(HttpClient(), token).status_code == 302
    assert _open(HttpClient(), token).status_code == 404


def test_link_expires(carol: Contact, alice: Persona) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        assert _open(HttpClient(), token).status_code == 404


def test_revoking_ends_sessions(
    carol: Contact, alice: Persona, design_milestone: Milestone
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    _open(http, token)
    assert http.get(reverse("portal:home")).status_code == 200
    portal_links_revoke(contact=carol, actor=alice.user)
    assert http.get(reverse("portal:home")).status_code == 404


def test_portal_shows_progress_in_contacts_language(
    carol: Contact, alice: Persona, design_milestone: Milestone, layouts: Deliverable
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    _open(http, token)
    response = http.get(reverse("portal:home"))
    body = response.content.decode()
    assert response["Content-Language"] == "el"
    assert '<html lang="el">' in body
    assert "Page designs" in body
    assert "40%" in body
    assert TimelineEvent.objects.filter(verb="portal.opened", actor_contact=carol).exists()
    project = http.get(reverse("portal:project", args=[design_milestone.project_id]))
    assert "Page layouts" in project.content.decode()
    assert ".fig and .pdf" in project.content.decode()


def test_portal_has_no_path_to_staff_ui(
    carol: Contact, alice: Persona, design_milestone: Milestone
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    _open(http, token)
    body = page_with_sections(http, reverse("portal:home"))
    for prefix in ("/clients", "/projects", "/dashboard", "/accounts", "/api"):
        assert f'href="{prefix}' not in body
    # The portal session grants nothing in the staff UI.
    assert http.get(reverse("dashboard")).status_code == 302


def test_portal_never_shows_another_clients_project(
    carol: Contact, alice: Persona, mallory_data: dict[str, Any]
) -> None:
    _link, token = portal_link_create(contact=carol, actor=alice.user)
    http = HttpClient()
    _open(http, token)
    assert http.get(reverse("portal:project", args=[mallory_data["project"].pk])).status_code == 404
    assert "Evil plan" not in page_with_sections(http, reverse("portal:home"))


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_send_link_by_email_in_contacts_language(
    carol: Contact,
    alice: Persona,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # A link the provider sends waits for carol's hours (08:00-20:00 in Athens): send it at
    # 10:00 there, so the test does not depend on the hour it runs at.
    morning = timezone.now().replace(hour=8, minute=0) + timedelta(days=1)
    with time_machine.travel(morning, tick=True):
        with django_capture_on_commit_callbacks(execute=True):
            portal_link_send(contact=carol, actor=alice.user)
        assert deliver_due(worker="test") == 1  # an outbox row, sent by the deliverer
    message = mail.outbox[0]
    assert message.to == ["carol@acme.example"]
    assert "Carol Georgiou" in message.body
    found = re.search(r"http\S+/p/o/\S+/", str(message.body))
    assert found is not None
    url = found.group(0)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert _open(HttpClient(), token).status_code == 302


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_link_request_same_answer_known_or_not(
    carol: Contact, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    http = HttpClient()
    with django_capture_on_commit_callbacks(execute=True):
        known = http.post(reverse("portal:link_request"), {"email": "carol@acme.example"})
    unknown = http.post(reverse("portal:link_request"), {"email": "nobody@acme.example"})
    deliver_due(worker="test")
    assert known.status_code == unknown.status_code == 200
    assert _without_per_request_secrets(known.content) == _without_per_request_secrets(
        unknown.content
    )
    assert len(mail.outbox) == 1


def test_link_request_is_rate_limited(carol: Contact) -> None:
    http = HttpClient()
    codes = [
        http.post(reverse("portal:link_request"), {"email": "carol@acme.example"}).status_code
        for _ in range(7)
    ]
    assert codes[:5] == [200] * 5
    assert codes[-1] == 429


def test_link_request_bad_email(db: None) -> None:
    response = HttpClient().post(reverse("portal:link_request"), {"email": "not-an-email"})
    assert response.status_code == 400


def test_staff_send_link_button(alice_http: HttpClient, carol: Contact) -> None:
    response = alice_http.post(reverse("clients:contact_portal_link", args=[carol.pk]))
    assert response.status_code == 302
    assert PortalLink.objects.filter(contact=carol).count() == 1
