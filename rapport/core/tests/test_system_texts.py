"""Texts the system composes are read in the reader's language, not stored in the writer's
(ADR 0021): the "answer this request" and "progress update" commitments, the timeline events
and the alerts that quote them. Typed texts stay as typed; older rows are migrated."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from rapport.clients.models import Client, Contact
from rapport.commitments.models import Commitment
from rapport.commitments.services import promise_create
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.models import TimelineEvent
from rapport.projects.models import Project


def _in(language: str, english: str, **args: str) -> str:
    with translation.override(language):
        return translation.gettext(english) % args


def _reader(alice: Persona, language: str) -> HttpClient:
    alice.user.language = language
    alice.user.save(update_fields=["language"])
    http = HttpClient()
    http.force_login(alice.user)
    return http


def test_a_commitment_written_in_greek_reads_in_romanian(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    with translation.override("el"):
        request = request_receive(
            client=acme, contact=carol, source="phone", subject="New banner", body="Please"
        )
    answer = Commitment.objects.get(request=request)
    assert answer.wording_ref == {"text": "commitment.answer", "args": {"subject": "New banner"}}
    # The fallback column is the site's language, whatever was active when it was written.
    assert answer.wording == "Answer: New banner"
    http = _reader(alice, "ro")
    ledger = http.get(reverse("commitments:ledger")).content.decode()
    assert _in("ro", "Answer: %(subject)s", subject="New banner") in ledger
    assert _in("el", "Answer: %(subject)s", subject="New banner") not in ledger
    assert _in("ro", "Progress update on %(title)s", title="New website") in ledger
    timeline = http.get(reverse("clients:timeline", args=[acme.pk])).content.decode()
    assert _in("ro", "Answer: %(subject)s", subject="New banner") in timeline
    english = _reader(alice, "en").get(reverse("commitments:ledger")).content.decode()
    assert "Answer: New banner" in english and "Progress update on New website" in english


def test_a_typed_promise_stays_as_typed(alice: Persona, acme: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    promise = promise_create(
        client=acme,
        actor=alice.user,
        wording="Answer: the logo drafts by Friday",  # looks like ours, typed by a person
        due_at=timezone.now() + timedelta(days=3),
    )
    assert promise.wording_ref == {}
    ledger = _reader(alice, "el").get(reverse("commitments:ledger")).content.decode()
    assert "Answer: the logo drafts by Friday" in ledger


def test_older_rows_get_their_reference_and_keep_their_text(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    request = request_receive(
        client=acme, contact=carol, source="phone", subject="Old banner", body="Please"
    )
    greek = _in("el", "Answer: %(subject)s", subject="Old banner")
    # As rows were before: the sentence in the writer's (Greek) language, no reference.
    Commitment.objects.filter(request=request).update(wording=greek, wording_ref={})
    event = TimelineEvent.objects.get(
        verb="commitment.created", subject_id__isnull=False, data__wording__text="commitment.answer"
    )
    event.data = {**event.data, "wording": greek}
    event.save(update_fields=["data"])
    migration = import_module("rapport.commitments.migrations.0005_commitment_text_refs")
    migration.forwards(apps, None)
    commitment = Commitment.objects.get(request=request)
    assert commitment.wording == greek
    assert commitment.wording_ref == {
        "text": "commitment.answer",
        "args": {"subject": "Old banner"},
    }
    event.refresh_from_db()
    assert event.data["wording"] == commitment.wording_ref
    ledger = _reader(alice, "en").get(reverse("commitments:ledger")).content.decode()
    assert "Answer: Old banner" in ledger and greek not in ledger


def test_an_email_without_a_subject_is_named_in_each_readers_language(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    from django.utils import timezone

    from rapport.conversations.inbound_mail import unmatched_assign
    from rapport.conversations.models import InboundEmail

    email = InboundEmail.objects.create(
        workspace=alice.workspace,
        received_at=timezone.now(),
        sender=carol.email,
        subject="",
        text="Can we talk?",
    )
    with translation.override("ro"):
        request = unmatched_assign(email=email, contact=carol, actor=alice.user)
    assert request.subject == "(no subject)"
    assert request.subject_ref == {"text": "request.no_subject", "args": {}}
    greek = _in("el", "(no subject)")
    assert greek != "(no subject)"
    http = _reader(alice, "el")
    inbox = http.get(reverse("conversations:inbox")).content.decode()
    detail = http.get(reverse("conversations:detail", args=[request.pk])).content.decode()
    ledger = http.get(reverse("commitments:ledger")).content.decode()
    assert greek in inbox and greek in detail
    assert _in("el", "Answer: %(subject)s", subject=greek) in ledger
    assert _in("ro", "(no subject)") not in inbox + detail + ledger


def test_the_timeline_names_fields_and_statuses_in_the_readers_language() -> None:
    """Events store field names and status codes ("due_date", "active"): the reader sees the
    model's labels in their language, not the code's English."""
    from rapport.core.timeline import describe_event

    edited = {"title": "Site", "fields": "due_date, budget"}
    status = {"title": "Site", "old": "active", "new": "delivered"}
    with translation.override("ro"):
        due_date = str(Project._meta.get_field("due_date").verbose_name)
        active = str(Project.Status.ACTIVE.label)
        assert due_date != "due date" and active != "Active"
        assert due_date in describe_event("project.updated", edited)
        assert "due_date" not in describe_event("project.updated", edited)
        assert active in describe_event("project.status_changed", status)
        assert "active" not in describe_event("project.status_changed", status)
        # A field that no longer exists is shown as stored rather than failing.
        assert "gone_field" in describe_event("client.updated", {"fields": "gone_field"})


def test_channels_in_events_and_alerts_are_named_in_the_readers_language() -> None:
    from rapport.core.timeline import describe_event
    from rapport.notifications.kinds import ChannelKind
    from rapport.notifications.models import Alert

    with translation.override("ro"):
        phone = str(ChannelKind.PHONE.label)
        assert phone != "Phone call"
        sent = describe_event(
            "notification.sent", {"name": "C", "channel": "phone", "subject": "S"}
        )
        failed = Alert(kind="delivery_failed", data={"name": "C", "channel": "phone", "error": "x"})
        assert f"({phone})" in sent and "(phone)" not in sent
        assert phone in failed.describe()


def test_a_reason_the_system_gave_reads_in_each_readers_language(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    """A milestone archived by a Greek-speaking member cancels its commitment "because the
    milestone was archived": the Romanian contact reads why in Romanian in the portal, an
    English reader in English."""
    from datetime import date, timedelta

    from rapport.clients.portal_links.services import portal_link_create
    from rapport.projects.services import milestone_archive, milestone_create

    milestone = milestone_create(
        project=website, actor=alice.user, title="Logo", due_date=date.today() + timedelta(days=9)
    )
    with translation.override("el"):
        milestone_archive(milestone=milestone, actor=alice.user)
    cancelled = Commitment.objects.get(milestone=milestone, state=Commitment.State.CANCELLED)
    assert cancelled.reason == "milestone archived"
    assert cancelled.reason_ref == {"text": "reason.milestone_archived", "args": {}}
    romanian = _in("ro", "milestone archived")
    assert romanian != "milestone archived"
    carol.language = "ro"
    carol.save(update_fields=["language"])
    _link, token = portal_link_create(contact=carol, actor=None)
    portal = HttpClient()
    portal.post(reverse("portal:open", args=[token]))
    section = portal.get(reverse("portal:home_cancellations")).content.decode()
    assert romanian in section and _in("el", "milestone archived") not in section
    with translation.override("en"):
        assert cancelled.shown_reason == "milestone archived"
