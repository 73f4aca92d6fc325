"""Discovery briefs (P05): questionnaires, sending, answering in the portal, files, submit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from pytest_django.fixtures import Settings

from rapport.accounts.models import Membership, User
from rapport.clients.briefs import defaults, validation
from rapport.clients.briefs import services as briefs
from rapport.clients.models import Brief, BriefAnswer, BriefQuestion, BriefTemplate, Client, Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.core.tests.sections import page_with_sections
from rapport.notifications.models import Alert, Notification

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _template(alice: Persona) -> BriefTemplate:
    return BriefTemplate.objects.for_workspace(alice.workspace).get()


def _send(alice: Persona, acme: Client, carol: Contact) -> Brief:
    return briefs.brief_send(
        client=acme, contact=carol, template=_template(alice), actor=alice.user
    )


def _portal(contact: Contact, actor: User | None = None) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=actor)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def _index(brief: Brief, kind: str) -> int:
    return next(i for i, q in enumerate(brief.questions) if q["kind"] == kind)


def _autosave(
    http: HttpClient, brief: Brief, index: int, value: object, **headers: str
) -> _MonkeyPatchedWSGIResponse:
    data = {f"q{index}": value, "index": index}
    url = reverse("portal:brief_answer", args=[brief.pk])
    return http.post(url, data, headers={"HX-Request": "true", **headers})


# --- Questionnaires ----------------------------------------------------------------------------


def test_signup_writes_the_default_questionnaire(alice: Persona) -> None:
    template = _template(alice)
    kinds = [q.kind for q in template.questions.all()]
    assert kinds.count(BriefQuestion.Kind.FILE) == 1
    assert kinds.count(BriefQuestion.Kind.CHOICE) == 1
    budget = template.questions.get(kind=BriefQuestion.Kind.CHOICE)
    assert len(budget.choices) >= 3
    assert template.questions.filter(required=True).count() == 2  # goals and audience
    assert template.language == alice.workspace.default_language


def test_default_questionnaire_in_the_workspace_language(db: None) -> None:
    from rapport.accounts.services import user_signup

    membership = user_signup(
        email="eleni@example.com",
        name="Eleni",
        password="correct-horse-battery-staple",
        workspace_name="Eleni Studio",
        language="el",
    )
    template = BriefTemplate.objects.for_workspace(membership.workspace).get()
    assert template.language == "el"
    assert template.questions.count() == len(defaults.DEFAULT_QUESTIONS)


def test_owner_builds_a_questionnaire(alice: Persona, alice_http: HttpClient) -> None:
    response = alice_http.post(
        reverse("clients:brief_templates"), {"title": "Web shop", "language": "ro"}
    )
    template = BriefTemplate.objects.get(title="Web shop")
    assert response.status_code == 302
    url = reverse("clients:brief_template", args=[template.pk])
    # A choice needs options: refused with the field named.
    response = alice_http.post(url, {"text": "Platform?", "kind": "choice", "choices": "Shopify"})
    assert response.status_code == 400
    assert "at least two options" in response.content.decode()
    assert not template.questions.exists()
    alice_http.post(url, {"text": "Platform?", "kind": "choice", "choices": "Shopify\nWoo\n"})
    alice_http.post(url, {"text": "Goals?", "kind": "text", "required": "on"})
    first, second = template.questions.order_by("position")
    assert first.choices == ["Shopify", "Woo"]
    assert second.required
    alice_http.post(reverse("clients:brief_question_move", args=[second.pk]), {"direction": "up"})
    assert list(template.questions.order_by("position").values_list("text", flat=True)) == [
        "Goals?",
        "Platform?",
    ]
    alice_http.post(reverse("clients:brief_question_remove", args=[first.pk]))
    assert list(template.questions.values_list("text", flat=True)) == ["Goals?"]
    assert alice_http.get(url).status_code == 200


def test_only_the_owner_changes_questionnaires(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    member = Membership.objects.create(workspace=alice.workspace, user=bob)
    with pytest.raises(ApplicationError):
        briefs.brief_question_add(
            membership=member, template=_template(alice), kind="text", text="Sneaky?"
        )
    with pytest.raises(ApplicationError):
        briefs.brief_template_create(membership=member, title="X", language="en")


# --- Sending -----------------------------------------------------------------------------------


def test_send_snapshots_questions_and_notifies_in_the_contacts_language(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    brief = _send(alice, acme, carol)
    template = _template(alice)
    assert len(brief.questions) == template.questions.count()
    # Editing the questionnaire later changes no brief already sent.
    template.questions.filter(kind=BriefQuestion.Kind.FILE).delete()
    brief.refresh_from_db()
    assert any(q["kind"] == "file" for q in brief.questions)
    note = Notification.objects.get(kind="brief_sent")
    assert note.contact == carol
    assert note.language == "el"
    assert note.address == carol.email
    assert f"?next={reverse('portal:brief', args=[brief.pk])}" in note.body
    assert TimelineEvent.objects.filter(client=acme, verb="brief.sent").exists()


def test_the_link_in_the_message_opens_the_brief(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    brief = _send(alice, acme, carol)
    body = Notification.objects.get(kind="brief_sent").body
    prefix = reverse("portal:open", args=["x"]).removesuffix("x/")
    url = next(w for w in body.split() if prefix in w)
    path = url.removeprefix(settings.SITE_URL)
    http = HttpClient()
    response = http.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:brief", args=[brief.pk])
    page = http.get(response["Location"])
    assert page.status_code == 200
    assert brief.questions[0]["text"] in page.content.decode()


def test_send_refuses_a_contact_of_another_client(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    stranger = contact_create(client=other, actor=alice.user, name="Stan", email="s@x.example")
    with pytest.raises(ApplicationError) as exc:
        briefs.brief_send(
            client=acme, contact=stranger, template=_template(alice), actor=alice.user
        )
    assert exc.value.field == "contact"
    assert not Brief.objects.exists()
    assert not Notification.objects.filter(kind="brief_sent").exists()


def test_send_page_from_the_client_page(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    page = alice_http.get(reverse("clients:detail", args=[acme.pk]))
    assert reverse("clients:brief_send", args=[acme.pk]) in page.content.decode()
    response = alice_http.post(
        reverse("clients:brief_send", args=[acme.pk]),
        {"contact": carol.pk, "template": _template(alice).pk},
    )
    assert response.status_code == 302
    brief = Brief.objects.get()
    page = alice_http.get(reverse("clients:detail", args=[acme.pk]))
    assert reverse("clients:brief_detail", args=[brief.pk]) in page.content.decode()


# --- Answering in the portal ---------------------------------------------------------------


def test_autosave_one_answer_at_a_time(alice: Persona, acme: Client, carol: Contact) -> None:
    brief = _send(alice, acme, carol)
    http = _portal(carol)
    response = _autosave(http, brief, 0, "Double our online orders")
    assert response.status_code == 200
    assert "errorlist" not in response.content.decode()
    assert BriefAnswer.objects.get(brief=brief, question_index=0).text == "Double our online orders"
    brief.refresh_from_db()
    assert brief.status == Brief.Status.IN_PROGRESS
    # Changing it again updates the same answer.
    _autosave(http, brief, 0, "Triple them")
    assert BriefAnswer.objects.get(brief=brief, question_index=0).text == "Triple them"
    page = http.get(reverse("portal:brief", args=[brief.pk]))
    assert "Triple them" in page.content.decode()


def test_choice_must_be_one_of_the_options(alice: Persona, acme: Client, carol: Contact) -> None:
    brief = _send(alice, acme, carol)
    index = _index(brief, "choice")
    http = _portal(carol)
    response = _autosave(http, brief, index, "A million")
    assert 'role="alert"' in response.content.decode()
    assert not BriefAnswer.objects.filter(brief=brief).exists()
    option = brief.questions[index]["choices"][1]
    _autosave(http, brief, index, option)
    assert BriefAnswer.objects.get(brief=brief, question_index=index).text == option


def test_file_upload_is_stored_privately_and_served_after_a_check(
    alice: Persona,
    alice_http: HttpClient,
    acme: Client,
    carol: Contact,
    mallory: Persona,
    mallory_data: dict[str, Any],
) -> None:
    brief = _send(alice, acme, carol)
    index = _index(brief, "file")
    http = _portal(carol)
    upload = SimpleUploadedFile("brand guide.pdf", PDF, content_type="application/pdf")
    response = _autosave(http, brief, index, upload)
    assert "Saved" in response.content.decode() or response.status_code == 200
    answer = BriefAnswer.objects.get(brief=brief, question_index=index)
    assert answer.text == "brand guide.pdf"
    stored = Path(answer.file.path)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "brand guide" not in stored.name  # a random name, not the client's
    assert not settings.MEDIA_URL or settings.MEDIA_URL in ("", "/")
    # Carol (portal) and alice (staff) can download it, as an attachment.
    for client, url in (
        (http, reverse("portal:brief_file", args=[answer.pk])),
        (alice_http, reverse("clients:brief_file", args=[answer.pk])),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert isinstance(response, StreamingHttpResponse)
        assert response.getvalue() == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
    # mallory (another workspace) and eve (another client's contact) get 404.
    mallory_http = HttpClient()
    mallory_http.force_login(mallory.user)
    assert mallory_http.get(reverse("clients:brief_file", args=[answer.pk])).status_code == 404
    assert mallory_http.get(reverse("clients:brief_detail", args=[brief.pk])).status_code == 404
    eve = _portal(mallory_data["contact"])
    assert eve.get(reverse("portal:brief_file", args=[answer.pk])).status_code == 404
    assert eve.get(reverse("portal:brief", args=[brief.pk])).status_code == 404
    # Not a file at all without a session.
    assert HttpClient().get(reverse("portal:brief_file", args=[answer.pk])).status_code == 404


def test_another_contact_of_alices_other_client_gets_404(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    brief = _send(alice, acme, carol)
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    dan = contact_create(client=other, actor=alice.user, name="Dan", email="dan@other.example")
    http = _portal(dan)
    assert http.get(reverse("portal:brief", args=[brief.pk])).status_code == 404
    assert _autosave(http, brief, 0, "hacked").status_code == 404
    assert not BriefAnswer.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "application/x-msdownload", "cannot be sent here"),
        ("page.html", b"<script>x</script>", "text/html", "cannot be sent here"),
        ("photo.png", PDF, "text/html", "does not look like"),
        ("empty.pdf", b"", "application/pdf", "empty"),
    ],
)
def test_refused_uploads(
    alice: Persona,
    acme: Client,
    carol: Contact,
    name: str,
    content: bytes,
    content_type: str,
    message: str,
) -> None:
    brief = _send(alice, acme, carol)
    index = _index(brief, "file")
    with pytest.raises(ApplicationError) as exc:
        briefs.brief_answer_save(
            brief=brief,
            contact=carol,
            index=index,
            upload=SimpleUploadedFile(name, content, content_type=content_type),
        )
    assert message in exc.value.message
    assert exc.value.field == f"q{index}"
    assert not BriefAnswer.objects.exists()


def test_upload_size_limit(
    alice: Persona, acme: Client, carol: Contact, settings: Settings, tmp_path: Path
) -> None:
    settings.BRIEF_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.MEDIA_ROOT = tmp_path
    brief = _send(alice, acme, carol)
    index = _index(brief, "file")
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    http = _portal(carol)
    response = _autosave(http, brief, index, big)
    with translation.override("el"):  # carol reads Greek
        too_large = gettext("The file is too large: at most %(mb)s MB.") % {
            "mb": settings.BRIEF_UPLOAD_MAX_BYTES // (1024 * 1024)
        }
    assert "too large" not in too_large
    assert escape(too_large) in response.content.decode()
    assert not BriefAnswer.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_plain_submit_without_javascript_is_all_or_nothing(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    brief = _send(alice, acme, carol)
    file_index = _index(brief, "file")
    http = _portal(carol)
    data: dict[str, object] = {"q0": "Goals here", "q1": "Shop owners", "save": "1"}
    data[f"q{file_index}"] = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x")
    response = http.post(reverse("portal:brief", args=[brief.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("el"):  # carol reads Greek
        refused = gettext("Files of this type cannot be sent here. Send one of: %(types)s.") % {
            "types": ", ".join(sorted(validation.ALLOWED_UPLOADS))
        }
    assert "cannot be sent here" not in refused
    assert escape(refused) in body
    assert "Goals here" in body  # what was typed is shown again
    assert not BriefAnswer.objects.exists()
    data[f"q{file_index}"] = SimpleUploadedFile("ok.pdf", PDF, content_type="application/pdf")
    response = http.post(reverse("portal:brief", args=[brief.pk]), data)
    assert response.status_code == 302
    assert BriefAnswer.objects.filter(brief=brief).count() == 3


def test_required_answers_are_checked_on_send(alice: Persona, acme: Client, carol: Contact) -> None:
    brief = _send(alice, acme, carol)
    http = _portal(carol)
    response = http.post(reverse("portal:brief", args=[brief.pk]), {"q0": "Goals", "send": "1"})
    assert response.status_code == 400
    assert brief.questions[1]["text"] in response.content.decode()  # names the question
    brief.refresh_from_db()
    assert brief.status != Brief.Status.SUBMITTED
    assert not Alert.objects.filter(kind=Alert.Kind.BRIEF_SUBMITTED).exists()
    # The first answer was saved all the same (saving and sending are separate steps).
    assert BriefAnswer.objects.get(brief=brief, question_index=0).text == "Goals"


def test_send_back_alerts_the_provider_and_freezes_the_brief(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    brief = _send(alice, acme, carol)
    http = _portal(carol)
    _autosave(http, brief, 0, "Double online orders")
    response = http.post(
        reverse("portal:brief", args=[brief.pk]),
        {"q0": "Double online orders", "q1": "Retail buyers", "send": "1"},
    )
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.status == Brief.Status.SUBMITTED
    assert brief.submitted_at is not None
    alert = Alert.objects.get(kind=Alert.Kind.BRIEF_SUBMITTED)
    assert alert.client == acme
    assert "Carol Georgiou" in alert.describe()
    assert TimelineEvent.objects.filter(client=acme, verb="brief.submitted").exists()
    # Read-only from now on, whichever way it is tried.
    with pytest.raises(ApplicationError):
        briefs.brief_answer_save(brief=brief, contact=carol, index=0, text="changed")
    response = _autosave(http, brief, 0, "changed")
    with translation.override("el"):  # carol reads Greek
        frozen = gettext("This brief was already sent; it can no longer be changed.")
    assert "already sent" not in frozen
    assert escape(frozen) in response.content.decode()
    http.post(reverse("portal:brief", args=[brief.pk]), {"q0": "changed", "save": "1"})
    assert BriefAnswer.objects.get(brief=brief, question_index=0).text == "Double online orders"
    page = http.get(reverse("portal:brief", args=[brief.pk])).content.decode()
    assert "<textarea" not in page
    # Alice reads the answers.
    page = alice_http.get(reverse("clients:brief_detail", args=[brief.pk])).content.decode()
    assert "Retail buyers" in page


def test_portal_home_lists_the_brief(alice: Persona, acme: Client, carol: Contact) -> None:
    brief = _send(alice, acme, carol)
    page = page_with_sections(_portal(carol), reverse("portal:home"))
    assert reverse("portal:brief", args=[brief.pk]) in page


# --- Query counts ------------------------------------------------------------------------------


def _count(http: HttpClient, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow_briefs(alice: Persona, acme: Client, carol: Contact, n: int) -> None:
    template = _template(alice)
    for i in range(n):
        brief = _send(alice, acme, carol)
        briefs.brief_answer_save(brief=brief, contact=carol, index=0, text=f"Goal {i}")
        briefs.brief_question_add(
            membership=alice.membership, template=template, kind="text", text=f"Extra {i}?"
        )


def test_brief_pages_run_a_fixed_number_of_queries(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    brief = _send(alice, acme, carol)
    portal = _portal(carol)
    _grow_briefs(alice, acme, carol, 1)
    pages = [
        (alice_http, reverse("clients:brief_detail", args=[brief.pk])),
        (alice_http, reverse("clients:brief_templates")),
        (alice_http, reverse("clients:brief_template", args=[_template(alice).pk])),
        (alice_http, reverse("clients:detail", args=[acme.pk])),
        (portal, reverse("portal:brief", args=[brief.pk])),
        (portal, reverse("portal:home")),
        (portal, reverse("portal:home_briefs")),
    ]
    small = [_count(http, url) for http, url in pages]
    _grow_briefs(alice, acme, carol, 8)
    for i in range(len(brief.questions)):
        if brief.questions[i]["kind"] == "text":
            briefs.brief_answer_save(brief=brief, contact=carol, index=i, text="x")
    large = [_count(http, url) for http, url in pages]
    assert large == small
    assert max(large[:3] + large[4:5]) <= 10
