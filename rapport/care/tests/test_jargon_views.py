"""Plain words on the staff side (P26): the settings page (errors on the field, owner only,
tenancy), the inline check endpoint (tenancy, fixed queries) and the panel under the
message forms, which never stops a message from going out."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.care.models import JargonTerm
from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.notifications.models import Notification
from rapport.projects.models import Project, ProjectUpdate

PAGE = "care:plain_words"


def _add(http: HttpClient, **data: str) -> Any:
    return http.post(reverse(PAGE), {"language": "en", **data})


def test_owner_adds_a_term_and_overrides_a_shipped_one(alice_http: HttpClient) -> None:
    answer = _add(alice_http, term="Moodboard", suggestion="a page of pictures that set the mood")
    assert answer.status_code == 302
    answer = _add(alice_http, term="DEPLOY", suggestion="publish")
    assert answer.status_code == 302
    page = alice_http.get(reverse(PAGE) + "?language=en").content.decode()
    assert "Moodboard" in page and "publish" in page and "Originally: put it live" in page
    assert set(JargonTerm.objects.values_list("term_key", flat=True)) == {"moodboard", "deploy"}


def test_bad_input_names_the_field(alice_http: HttpClient) -> None:
    _add(alice_http, term="moodboard", suggestion="mood pictures")
    cases = [
        ({"term": "", "suggestion": "x"}, "term"),
        ({"term": "  ", "suggestion": "x"}, "term"),
        ({"term": "---", "suggestion": "x"}, "term"),
        ({"term": "x" * 101, "suggestion": "x"}, "term"),
        ({"term": "Mood-Board", "suggestion": "x"}, None),  # another spelling, another key
        ({"term": "MOODBOARD", "suggestion": "x"}, "term"),  # the same term again
        ({"term": "kanban", "suggestion": ""}, "suggestion"),
        ({"term": "kanban", "suggestion": "y" * 301}, "suggestion"),
        ({"term": "kanban", "suggestion": "y", "language": "fr"}, "language"),
    ]
    for data, field in cases:
        answer = _add(alice_http, **data)
        if field is None:
            assert answer.status_code == 302
            continue
        assert answer.status_code == 400, data
        assert field in answer.context["form"].errors, (data, answer.context["form"].errors)
    assert JargonTerm.objects.count() == 2


def test_switch_off_a_shipped_term_and_back(alice: Persona, alice_http: HttpClient) -> None:
    alice_http.post(reverse("care:jargon_shipped_off"), {"language": "en", "term": "staging"})
    row = JargonTerm.objects.get()
    assert (row.term_key, row.active) == ("staging", False)
    alice_http.post(reverse("care:jargon_term_switch", args=[row.pk]), {"active": "1"})
    row.refresh_from_db()
    assert row.active
    alice_http.post(
        reverse("care:jargon_term_edit", args=[row.pk]),
        {"term": "staging", "suggestion": "the test site"},
    )
    row.refresh_from_db()
    assert row.suggestion == "the test site"
    alice_http.post(reverse("care:jargon_term_remove", args=[row.pk]))
    assert not JargonTerm.objects.exists()
    # A term that is not shipped cannot be "switched off": nothing is written.
    answer = alice_http.post(reverse("care:jargon_shipped_off"), {"language": "en", "term": "zzz"})
    assert answer.status_code == 302 and not JargonTerm.objects.exists()


def test_members_read_only_the_owner_changes(alice: Persona) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    http = HttpClient()
    http.force_login(bob)
    assert http.get(reverse(PAGE)).status_code == 200
    assert _add(http, term="moodboard", suggestion="x").status_code == 404
    assert not JargonTerm.objects.exists()


def test_another_workspace_never_touches_alices_terms(
    alice_http: HttpClient, mallory_http: HttpClient
) -> None:
    _add(alice_http, term="moodboard", suggestion="mood pictures")
    row = JargonTerm.objects.get()
    for name in ("care:jargon_term_edit", "care:jargon_term_switch", "care:jargon_term_remove"):
        answer = mallory_http.post(reverse(name, args=[row.pk]), {"term": "x", "suggestion": "y"})
        assert answer.status_code == 404, name
    assert "moodboard" not in mallory_http.get(reverse(PAGE) + "?language=en").content.decode()
    row.refresh_from_db()
    assert (row.term, row.suggestion, row.active) == ("moodboard", "mood pictures", True)


def _check(http: HttpClient, client: Client, **data: object) -> Any:
    return http.post(
        reverse("care:jargon_check", args=[client.pk]), data, headers={"HX-Request": "true"}
    )


def test_check_lists_hits_in_the_clients_language(
    alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    acme.glossary = [{"term": "pop-up", "meaning": "lightbox, over the page"}]
    acme.save()
    body = _check(
        alice_http, acme, text="Κάνουμε deploy στο staging και το lightbox."
    ).content.decode()
    # acme and carol read Greek: the Greek suggestion, and the glossary's word.
    assert "η δοκιμαστική έκδοση του site" in body
    assert "say “pop-up”: the client calls it that" in body
    assert _check(alice_http, acme, text="Όλα καλά.").content.decode().strip() == ""


def test_check_reads_the_forms_fields(alice_http: HttpClient, acme: Client, carol: Contact) -> None:
    data = {
        "check_fields": "plan,apology",
        "plan": "A hotfix tonight.",
        "apology": "",
        "title": "deploy",
    }
    body = _check(alice_http, acme, **data).content.decode()
    assert "hotfix" in body and "deploy" not in body


def test_check_of_another_workspaces_client_is_404(
    mallory_http: HttpClient, acme: Client, carol: Contact
) -> None:
    assert _check(mallory_http, acme, text="deploy").status_code == 404
    assert mallory_http.get(reverse("care:jargon_check", args=[acme.pk])).status_code in (404, 405)


def test_check_queries_do_not_grow(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            answer = _check(alice_http, acme, text="deploy staging " * 50, contacts=[carol.pk])
        assert answer.status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(8):
        contact_create(
            client=acme,
            actor=alice.user,
            name=f"P{i}",
            email=f"p{i}@acme.example",
            language=["en", "ro"][i % 2],
        )
        JargonTerm.objects.create(
            workspace=alice.workspace, language="el", term=f"t{i}", term_key=f"t{i}", suggestion="s"
        )
    assert count() == small <= 6


def test_update_preview_shows_the_hit_and_send_still_goes(
    alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    url = reverse("projects:update_compose", args=[website.pk])
    first = alice_http.get(url)
    assert "plain-words" in first.content.decode()
    figures = first.context["form"]["figures"].value()
    data = {"body": "The staging site is ready.", "contacts": [carol.pk], "figures": figures}
    data["preview"] = "1"
    page = alice_http.post(url, data)
    assert page.status_code == 200
    assert "<mark>staging</mark>" in page.content.decode()
    del data["preview"]
    answer = alice_http.post(url, data)
    assert answer.status_code == 302
    assert ProjectUpdate.objects.filter(project=website).exists()
    assert Notification.objects.filter(kind="progress_update", contact=carol).exists()


def test_problem_form_checks_the_wording_without_sending(
    alice_http: HttpClient, website: Project, carol: Contact
) -> None:
    url = reverse("care:problem_new", args=[website.pk])
    page = alice_http.post(
        url, {"plan": "A hotfix tonight.", "preview": "1", "contacts": [carol.pk]}
    )
    assert page.status_code == 200 and "<mark>hotfix</mark>" in page.content.decode()
    assert not website.problems.exists()


def test_request_answer_panel_uses_the_answer_contacts_language(
    alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact
) -> None:
    radu = contact_create(
        client=acme, actor=alice.user, name="Radu", email="radu@acme.example", language="ro"
    )
    found = request_receive(client=acme, contact=radu, source="phone", subject="Site", body="?")
    url = reverse("conversations:reply", args=[found.pk])
    # An empty reply is refused (the page again, 400): the panel checks what was written.
    page = alice_http.post(url, {"message": "   "})
    assert page.status_code == 400
    detail = alice_http.get(reverse("conversations:detail", args=[found.pk])).content.decode()
    assert f'"check_contact": "{radu.pk}"' in detail
