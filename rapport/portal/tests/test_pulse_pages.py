"""The pulse pages (P23): the link of a face in an update email (scanner-safe, in the
contact's language, clear when the token is bad), and the faces on the portal home (tenancy)."""

from __future__ import annotations

from django.core import signing
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.models import PulseAnswer
from rapport.care.pulse.services import pulse_answer
from rapport.clients.models import Contact
from rapport.clients.portal_links.services import portal_link_create
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.projects.models import Project, ProjectUpdate
from rapport.projects.pulse_links import PULSE_SALT, pulse_token
from rapport.projects.updates import update_send


def _portal(contact: Contact) -> HttpClient:
    _link, token = portal_link_create(contact=contact, actor=None)
    http = HttpClient()
    http.post(reverse("portal:open", args=[token]))
    return http


def _update(website: Project, alice: Persona, carol: Contact) -> ProjectUpdate:
    return update_send(project=website, actor=alice.user, contacts=[carol], no_big_news=True)


def test_opening_a_face_records_nothing_and_the_post_records(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    token = pulse_token(contact_id=carol.pk, update_id=update.pk)
    http = HttpClient()
    page = http.get(reverse("portal:pulse_face", args=[token, 4]))
    # A link scanner stops here: nothing is written by a GET.
    assert page.status_code == 200 and not PulseAnswer.objects.exists()
    html = page.content.decode()
    assert page["Content-Language"] == "el"
    assert "data-pulse-autosubmit" in html and 'name="score" value="4"' in html
    assert "Πώς τα πάμε;" in html
    response = http.post(reverse("portal:pulse", args=[token]), {"score": "4"})
    assert response.status_code == 302
    answer = PulseAnswer.objects.get()
    assert (answer.score, answer.source, answer.update_id) == (4, "email", update.pk)
    thanks = http.get(response["Location"])
    assert "Σας ευχαριστούμε" in thanks.content.decode()
    # The comment on the thanks page changes the same answer.
    http.post(reverse("portal:pulse", args=[token]), {"score": "5", "comment": "Πολύ καλά"})
    answer.refresh_from_db()
    assert PulseAnswer.objects.count() == 1 and (answer.score, answer.comment) == (5, "Πολύ καλά")


def test_bad_score_is_a_form_error_on_the_page(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    token = pulse_token(contact_id=carol.pk, update_id=update.pk)
    response = HttpClient().post(reverse("portal:pulse", args=[token]), {"score": "9"})
    assert response.status_code == 400 and not PulseAnswer.objects.exists()
    assert "has-error" in response.content.decode()


def test_tampered_expired_or_foreign_tokens_get_a_clear_404(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, object]
) -> None:
    update = _update(website, alice, carol)
    token = pulse_token(contact_id=carol.pk, update_id=update.pk)
    eve = mallory_data["contact"]
    assert isinstance(eve, Contact)
    other = signing.dumps([eve.pk, update.pk], salt=PULSE_SALT, compress=True)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    unsigned = signing.dumps([carol.pk, update.pk], salt="another", compress=True)
    http = HttpClient()
    for bad in (tampered, other, unsigned, "x"):
        for url in (
            reverse("portal:pulse", args=[bad]),
            reverse("portal:pulse_face", args=[bad, 2]),
        ):
            page = http.get(url)
            assert page.status_code == 404, url
            assert "This link does not work" in page.content.decode()
            assert http.post(url, {"score": "1"}).status_code == 404
    assert not PulseAnswer.objects.exists()


def test_another_contact_of_the_client_answers_for_themselves(
    alice: Persona, carol: Contact, website: Project
) -> None:
    dimitris = contact_create(
        client=carol.client, actor=alice.user, name="Dimitris", email="d@acme.example"
    )
    update = update_send(project=website, actor=alice.user, contacts=[carol, dimitris], body="Hi")
    for contact, score in ((carol, 5), (dimitris, 2)):
        token = pulse_token(contact_id=contact.pk, update_id=update.pk)
        HttpClient().post(reverse("portal:pulse", args=[token]), {"score": str(score)})
    assert dict(PulseAnswer.objects.values_list("contact_id", "score")) == {
        carol.pk: 5,
        dimitris.pk: 2,
    }


def test_portal_home_faces_record_and_show_the_answer(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    http = _portal(carol)
    home = http.get(reverse("portal:home")).content.decode()
    assert f'name="update" value="{update.pk}"' in home
    response = http.post(reverse("portal:pulse_answer"), {"update": update.pk, "score": "3"})
    assert response.status_code == 302
    answer = PulseAnswer.objects.get()
    assert (answer.score, answer.source) == (3, "portal")
    home = http.get(response["Location"]).content.decode()
    assert "😐" in home and 'aria-pressed="true"' in home
    bad = http.post(reverse("portal:pulse_answer"), {"update": update.pk, "score": "0"})
    assert bad.status_code == 400 and "has-error" in bad.content.decode()


def test_portal_home_before_any_update_answers_about_the_project(
    alice: Persona, carol: Contact, website: Project
) -> None:
    http = _portal(carol)
    assert (
        f'name="project" value="{website.pk}"' in http.get(reverse("portal:home")).content.decode()
    )
    http.post(reverse("portal:pulse_answer"), {"project": website.pk, "score": "5"})
    answer = PulseAnswer.objects.get()
    assert answer.update_id is None and answer.project_id == website.pk


def test_portal_pulse_of_another_clients_update_is_404(
    alice: Persona, carol: Contact, website: Project, mallory_data: dict[str, object]
) -> None:
    eve = mallory_data["contact"]
    project = mallory_data["project"]
    assert isinstance(eve, Contact) and isinstance(project, Project)
    theirs = update_send(project=project, actor=None, contacts=[eve], no_big_news=True)
    http = _portal(carol)
    assert (
        http.post(reverse("portal:pulse_answer"), {"update": theirs.pk, "score": "1"}).status_code
        == 404
    )
    assert (
        http.post(reverse("portal:pulse_answer"), {"project": project.pk, "score": "1"}).status_code
        == 404
    )
    # Without a portal session there is no contact to answer as.
    assert HttpClient().post(reverse("portal:pulse_answer"), {"score": "1"}).status_code == 404
    assert not PulseAnswer.objects.exists()


def test_answered_state_reads_in_the_contacts_language(
    alice: Persona, carol: Contact, website: Project
) -> None:
    update = _update(website, alice, carol)
    pulse_answer(contact=carol, update=update, score=4, source="email")
    home = _portal(carol).get(reverse("portal:home")).content.decode()
    assert "😊" in home and "Μπορείτε να το αλλάξετε" in home
