"""Deliverables the client reviews (P06, P08, P13): files and links attached by the provider,
"Deliver" telling the client in their language, the portal's download (after the contact's
access check) and approval, and changes asked for through the one revision-round path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from rapport.clients.models import Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.conversations.models import Request
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.timeline import describe_event
from rapport.notifications.models import Alert, Notification
from rapport.projects.attachments import (
    deliverable_attachment_remove,
    deliverable_file_attach,
    deliverable_link_attach,
)
from rapport.projects.models import Deliverable, DeliverableAttachment, RevisionRound
from rapport.projects.review import deliverable_accept, deliverable_deliver

PDF = b"%PDF-1.4 five page layouts"


def _pdf(name: str = "layouts.pdf", body: bytes = PDF, kind: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, body, content_type=kind)


def _portal(contact: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


@pytest.fixture
def attached(layouts: Deliverable, alice: Persona) -> DeliverableAttachment:
    return deliverable_file_attach(deliverable=layouts, actor=alice.user, upload=_pdf())


@pytest.fixture
def handed_over(
    layouts: Deliverable, attached: DeliverableAttachment, alice: Persona, carol: Contact
) -> Deliverable:
    return deliverable_deliver(deliverable=layouts, actor=alice.user, contacts=[carol])


@pytest.fixture
def dan(acme: Client, alice: Persona) -> Contact:
    """A contact of another client of alice's."""
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other Ltd")
    return contact_create(client=other, actor=alice.user, name="Dan", email="dan@other.example")


# --- Attaching ---------------------------------------------------------------------------------


def test_a_file_is_stored_privately_under_a_random_name(attached: DeliverableAttachment) -> None:
    assert attached.name == "layouts.pdf" and attached.size == len(PDF)
    stored = Path(settings.MEDIA_ROOT) / (attached.file.name or "")
    assert stored.read_bytes() == PDF
    assert "layouts" not in stored.name  # the uploader's name is never a path
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "deliverables")


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (("run.exe", b"MZ", "application/octet-stream"), "type"),
        (("layouts.pdf", b"", "application/pdf"), "empty"),
        (("layouts.pdf", PDF, "image/png"), "look like"),
    ],
)
def test_a_bad_file_is_refused_on_the_field(
    layouts: Deliverable, alice: Persona, upload: tuple[str, bytes, str], reason: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverable_file_attach(deliverable=layouts, actor=alice.user, upload=_pdf(*upload))
    assert exc.value.field == "file" and reason in exc.value.message
    assert not DeliverableAttachment.objects.exists()


@override_settings(DELIVERABLE_UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_file_too_large_is_refused(layouts: Deliverable, alice: Persona) -> None:
    big = _pdf(body=b"%PDF" + b"0" * (1024 * 1024))
    with pytest.raises(ApplicationError) as exc:
        deliverable_file_attach(deliverable=layouts, actor=alice.user, upload=big)
    assert exc.value.field == "file" and "1 MB" in exc.value.message
    assert not DeliverableAttachment.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example/a", "not a link"])
def test_only_web_links_are_attached(layouts: Deliverable, alice: Persona, url: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverable_link_attach(deliverable=layouts, actor=alice.user, url=url)
    assert exc.value.field == "url"
    assert not DeliverableAttachment.objects.exists()


def test_a_link_keeps_its_label(layouts: Deliverable, alice: Persona) -> None:
    link = deliverable_link_attach(
        deliverable=layouts, actor=alice.user, url="https://figma.example/p/1", name="Prototype"
    )
    assert link.name == "Prototype" and not link.is_file


def test_removing_a_file_deletes_it_from_storage(
    attached: DeliverableAttachment, django_capture_on_commit_callbacks: Any
) -> None:
    stored = Path(settings.MEDIA_ROOT) / (attached.file.name or "")
    with django_capture_on_commit_callbacks(execute=True):
        deliverable_attachment_remove(attachment=attached)
    assert not stored.exists()
    assert not DeliverableAttachment.objects.exists()


# --- Delivering --------------------------------------------------------------------------------


def test_nothing_attached_cannot_be_delivered(
    layouts: Deliverable, alice: Persona, carol: Contact
) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverable_deliver(deliverable=layouts, actor=alice.user, contacts=[carol])
    assert exc.value.field == "deliverable"
    layouts.refresh_from_db()
    assert layouts.status == Deliverable.Status.PENDING
    assert not Notification.objects.filter(kind="deliverable_delivered").exists()


def test_delivering_needs_a_contact_of_this_client(
    layouts: Deliverable, attached: DeliverableAttachment, alice: Persona, dan: Contact
) -> None:
    for contacts, field in (([], "contacts"), ([dan], "contacts")):
        with pytest.raises(ApplicationError) as exc:
            deliverable_deliver(deliverable=layouts, actor=alice.user, contacts=contacts)
        assert exc.value.field == field
    layouts.refresh_from_db()
    assert layouts.status == Deliverable.Status.PENDING


def test_deliver_tells_the_client_in_their_language(
    handed_over: Deliverable, carol: Contact
) -> None:
    assert handed_over.status == Deliverable.Status.DELIVERED and handed_over.delivered_at
    notice = Notification.objects.get(kind="deliverable_delivered", contact=carol)
    assert notice.language == "el"
    assert "layouts.pdf" in notice.body and "/p/o/" in notice.body
    assert "έτοιμο" in notice.subject  # Greek: “Page layouts” is ready for your review
    event = TimelineEvent.objects.get(verb="deliverable.delivered")
    assert "Page layouts" in describe_event(event.verb, event.data)


def test_delivering_again_needs_something_new(
    handed_over: Deliverable, alice: Persona, carol: Contact
) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverable_deliver(deliverable=handed_over, actor=alice.user, contacts=[carol])
    assert exc.value.field == "deliverable" and "new version" in exc.value.message
    assert Notification.objects.filter(kind="deliverable_delivered").count() == 1
    deliverable_file_attach(
        deliverable=handed_over, actor=alice.user, upload=_pdf("layouts-v2.pdf")
    )
    deliverable_deliver(deliverable=handed_over, actor=alice.user, contacts=[carol])
    second = Notification.objects.filter(kind="deliverable_delivered").order_by("-id").first()
    assert second is not None and "layouts-v2.pdf" in second.body
    assert Notification.objects.filter(kind="deliverable_delivered").count() == 2


# --- Reviewing in the portal -------------------------------------------------------------------


def test_client_downloads_the_file_from_the_portal(
    handed_over: Deliverable, attached: DeliverableAttachment, carol: Contact
) -> None:
    http = _portal(carol)
    home = http.get(reverse("portal:home")).content.decode()
    url = reverse("portal:deliverable_file", args=[attached.pk])
    assert url in home and "layouts.pdf" in home
    response = http.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_is_not_downloadable_before_delivery(
    attached: DeliverableAttachment, carol: Contact
) -> None:
    http = _portal(carol)
    assert http.get(reverse("portal:deliverable_file", args=[attached.pk])).status_code == 404


def test_client_approves_and_the_provider_is_alerted(
    handed_over: Deliverable, carol: Contact, alice: Persona, alice_http: HttpClient
) -> None:
    http = _portal(carol)
    response = http.post(reverse("portal:deliverable_approve", args=[handed_over.pk]))
    assert response.status_code == 302
    handed_over.refresh_from_db()
    assert handed_over.status == Deliverable.Status.ACCEPTED
    assert handed_over.accepted_by == carol and handed_over.accepted_at
    event = TimelineEvent.objects.get(verb="deliverable.accepted")
    assert event.actor_contact == carol
    assert (
        describe_event(event.verb, event.data) == "Carol Georgiou approved deliverable Page layouts"
    )
    alert = Alert.objects.get(kind="deliverable_accepted")
    assert alert.describe() == "Carol Georgiou approved Page layouts (New website)"
    assert alert.action_url == reverse("projects:detail", args=[handed_over.milestone.project_id])
    assert (
        "Carol Georgiou approved Page layouts"
        in alice_http.get(reverse("notifications:alerts")).content.decode()
    )
    # Approved once: a second press changes nothing and raises no second alert.
    http.post(reverse("portal:deliverable_approve", args=[handed_over.pk]))
    assert Alert.objects.filter(kind="deliverable_accepted").count() == 1
    assert TimelineEvent.objects.filter(verb="deliverable.accepted").count() == 1
    # An approved deliverable can neither change nor be delivered again.
    with pytest.raises(ApplicationError):
        deliverable_link_attach(deliverable=handed_over, actor=alice.user, url="https://x.example")
    with pytest.raises(ApplicationError):
        deliverable_deliver(deliverable=handed_over, actor=alice.user, contacts=[carol])


def test_a_pending_deliverable_cannot_be_approved(layouts: Deliverable, carol: Contact) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverable_accept(deliverable=layouts, contact=carol)
    assert exc.value.field == "deliverable"
    assert (
        _portal(carol).post(reverse("portal:deliverable_approve", args=[layouts.pk])).status_code
        == 404
    )
    layouts.refresh_from_db()
    assert layouts.status == Deliverable.Status.PENDING


def test_asking_for_changes_opens_a_revision_round(
    handed_over: Deliverable, carol: Contact
) -> None:
    http = _portal(carol)
    page = http.get(reverse("portal:project", args=[handed_over.milestone.project_id]))
    body = page.content.decode()
    action = reverse("portal:revision_request", args=[handed_over.pk])
    assert body.count(f'action="{action}"') == 1  # one form, in the deliverables section
    http.post(action, {"description": "Darker blue"})
    round_ = RevisionRound.objects.get(deliverable=handed_over)
    assert round_.number == 1 and not round_.billable
    assert Request.objects.filter(contact=carol, body="Darker blue").exists()
    assert Alert.objects.filter(kind="request_received").exists()


def test_an_empty_change_request_shows_the_error_on_its_form(
    handed_over: Deliverable, carol: Contact
) -> None:
    http = _portal(carol)
    response = http.post(reverse("portal:revision_request", args=[handed_over.pk]), {})
    page = http.get(response["Location"]).content.decode()
    assert "<details open>" in page
    assert not RevisionRound.objects.exists()


# --- Tenancy -----------------------------------------------------------------------------------


def test_another_clients_contact_cannot_see_download_or_approve(
    handed_over: Deliverable,
    attached: DeliverableAttachment,
    dan: Contact,
    mallory_data: dict[str, Any],
) -> None:
    for contact in (dan, mallory_data["contact"]):
        http = _portal(contact)
        assert "layouts.pdf" not in http.get(reverse("portal:home")).content.decode()
        assert http.get(reverse("portal:deliverable_file", args=[attached.pk])).status_code == 404
        approve = reverse("portal:deliverable_approve", args=[handed_over.pk])
        assert http.post(approve).status_code == 404
        with pytest.raises(ApplicationError) as exc:
            deliverable_accept(deliverable=handed_over, contact=contact)
        assert exc.value.code == "not_found"
    handed_over.refresh_from_db()
    assert handed_over.status == Deliverable.Status.DELIVERED


def test_an_outsider_cannot_reach_the_staff_pages(
    handed_over: Deliverable, attached: DeliverableAttachment, mallory_http: HttpClient
) -> None:
    pk = handed_over.pk
    for name, method in (
        ("projects:deliverable_detail", "get"),
        ("projects:deliverable_file_add", "post"),
        ("projects:deliverable_link_add", "post"),
        ("projects:deliverable_deliver", "post"),
    ):
        assert getattr(mallory_http, method)(reverse(name, args=[pk])).status_code == 404
    assert (
        mallory_http.get(reverse("projects:attachment_file", args=[attached.pk])).status_code == 404
    )
    remove = reverse("projects:attachment_remove", args=[attached.pk])
    assert mallory_http.post(remove).status_code == 404
    assert DeliverableAttachment.objects.filter(pk=attached.pk).exists()


# --- Staff pages -------------------------------------------------------------------------------


def test_provider_attaches_and_delivers_from_the_deliverable_page(
    layouts: Deliverable, alice_http: HttpClient, carol: Contact
) -> None:
    page = alice_http.get(reverse("projects:deliverable_detail", args=[layouts.pk]))
    assert page.status_code == 200
    refused = alice_http.post(
        reverse("projects:deliverable_file_add", args=[layouts.pk]),
        {"file": _pdf("virus.exe", b"MZ", "application/octet-stream")},
    )
    assert refused.status_code == 400 and "cannot be attached" in refused.content.decode()
    alice_http.post(reverse("projects:deliverable_file_add", args=[layouts.pk]), {"file": _pdf()})
    link = alice_http.post(
        reverse("projects:deliverable_link_add", args=[layouts.pk]), {"url": "ftp://x", "name": ""}
    )
    assert link.status_code == 400 and "https://" in link.content.decode()
    attachment = DeliverableAttachment.objects.get()
    download = alice_http.get(reverse("projects:attachment_file", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    delivered = alice_http.post(
        reverse("projects:deliverable_deliver", args=[layouts.pk]), {"contacts": [carol.pk]}
    )
    assert delivered.status_code == 302
    layouts.refresh_from_db()
    assert layouts.status == Deliverable.Status.DELIVERED
    assert Notification.objects.filter(kind="deliverable_delivered", contact=carol).count() == 1
