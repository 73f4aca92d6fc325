"""The expert directory and the recommendations made (P32): refusals that name the field,
tenancy, the filter by skill, archive and restore, the message in the contact's language and
the outcome as it becomes known."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.care.experts.selectors import expert_skills, experts_list
from rapport.care.experts.services import (
    expert_archive,
    expert_create,
    expert_restore,
    recommendation_outcome,
    recommendation_record,
)
from rapport.care.model_referrals import Expert, Recommendation
from rapport.clients.models import Client, Contact
from rapport.clients.services import client_create, contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.notifications.models import Notification


def _nikos(alice: Persona) -> Expert:
    return expert_create(
        workspace=alice.workspace,
        name="Nikos Copy",
        skills="Copywriting, SEO",
        email="nikos@example.com",
        phone="+30 210 000 0000",
        website="https://nikos.example",
        language="el",
        notes="Writes in Greek and English.",
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " ", "skills": "seo"}, "name"),
        ({"name": "N", "skills": ""}, "skills"),
        ({"name": "N", "skills": "a|b"}, "skills"),
        ({"name": "N", "skills": "seo", "email": "not an email"}, "email"),
        ({"name": "N", "skills": "seo", "website": "nikos.example"}, "website"),
        ({"name": "N", "skills": "seo", "language": "xx"}, "language"),
    ],
)
def test_bad_expert_input_names_the_field(
    alice: Persona, kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(ApplicationError) as caught:
        expert_create(workspace=alice.workspace, **kwargs)
    assert field in caught.value.errors
    assert not Expert.objects.exists()


def test_the_directory_filters_by_skill_and_archives(alice: Persona, mallory: Persona) -> None:
    nikos = _nikos(alice)
    expert_create(workspace=alice.workspace, name="Maria Photo", skills=["photography"])
    expert_create(workspace=mallory.workspace, name="Spy", skills=["seo"])
    assert nikos.skills == ["copywriting", "seo"]
    ws = alice.workspace.pk
    assert [e.name for e in experts_list(workspace_id=ws, skill="SEO")] == ["Nikos Copy"]
    assert [e.name for e in experts_list(workspace_id=ws, query="photo")] == ["Maria Photo"]
    assert expert_skills(workspace_id=ws) == ["copywriting", "photography", "seo"]
    expert_archive(expert=nikos)
    assert [e.name for e in experts_list(workspace_id=ws)] == ["Maria Photo"]
    assert [e.name for e in experts_list(workspace_id=ws, archived=True)] == ["Nikos Copy"]
    expert_restore(expert=nikos)
    assert len(experts_list(workspace_id=ws)) == 2


def test_a_recommendation_sent_reaches_the_contact_in_their_language(
    alice: Persona, acme: Client, carol: Contact
) -> None:
    nikos = _nikos(alice)
    rec = recommendation_record(
        client=acme,
        expert=nikos,
        contact=carol,
        reason="Your product pages need a copywriter who knows SEO.",
        actor=alice.user,
        send=True,
    )
    assert rec.sent_at is not None and rec.outcome == Recommendation.Outcome.PENDING
    note = Notification.objects.get(kind="expert_recommended", contact=carol)
    assert note.language == "el"
    assert "Nikos Copy" in note.body and "nikos@example.com" in note.body
    assert "copywriter who knows SEO" in note.body
    recommendation_outcome(recommendation=rec, outcome="hired", note="Started in June")
    rec.refresh_from_db()
    assert rec.outcome == "hired" and rec.outcome_at is not None
    with pytest.raises(ApplicationError) as caught:
        recommendation_outcome(recommendation=rec, outcome="maybe")
    assert "outcome" in caught.value.errors


def test_recommendation_refusals_name_the_field(
    alice: Persona, acme: Client, carol: Contact, mallory: Persona
) -> None:
    nikos = _nikos(alice)
    spy = expert_create(workspace=mallory.workspace, name="Spy", skills=["seo"])
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Other")
    dan = contact_create(client=other, actor=alice.user, name="Dan", email="dan@other.example")
    cases = [
        ({"expert": spy, "reason": "r"}, "expert"),
        ({"expert": nikos, "reason": " "}, "reason"),
        ({"expert": nikos, "reason": "r", "contact": dan}, "contact"),
        ({"expert": nikos, "reason": "r", "send": True}, "contact"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ApplicationError) as caught:
            recommendation_record(client=acme, actor=alice.user, **kwargs)  # type: ignore[arg-type]
        assert field in caught.value.errors
    expert_archive(expert=nikos)
    with pytest.raises(ApplicationError) as caught:
        recommendation_record(client=acme, actor=alice.user, expert=nikos, reason="r")
    assert "expert" in caught.value.errors
    assert not Recommendation.objects.exists()
    assert not Notification.objects.exists()


def test_the_pages(alice: Persona, alice_http: HttpClient, acme: Client, carol: Contact) -> None:
    created = alice_http.post(
        reverse("care:expert_new"), {"name": "Maria", "skills": "photography, video"}
    )
    assert created.status_code == 302
    maria = Expert.objects.get(name="Maria")
    assert (
        alice_http.post(reverse("care:expert_new"), {"name": "", "skills": ""}).status_code == 400
    )
    listing = alice_http.get(reverse("care:experts"), {"skill": "video"})
    assert "Maria" in listing.content.decode()
    url = reverse("care:recommendation_new", args=[acme.pk])
    assert alice_http.get(url, {"expert": maria.pk}).status_code == 200
    done = alice_http.post(
        url, {"expert": maria.pk, "contact": carol.pk, "reason": "Product photos", "send": "on"}
    )
    assert done.status_code == 302
    rec = Recommendation.objects.get()
    card = alice_http.get(reverse("care:client_recommendations", args=[acme.pk]))
    assert "Maria" in card.content.decode()
    page = alice_http.get(reverse("care:expert_detail", args=[maria.pk]))
    assert "Acme Ltd" in page.content.decode()
    edit = reverse("care:recommendation_edit", args=[rec.pk])
    assert alice_http.get(edit).status_code == 200
    assert (
        alice_http.post(edit, {"outcome": "not_hired", "outcome_note": "Too dear"}).status_code
        == 302
    )
    assert alice_http.post(reverse("care:expert_archive", args=[maria.pk])).status_code == 302
    assert alice_http.post(reverse("care:expert_restore", args=[maria.pk])).status_code == 302
    assert alice_http.get(reverse("care:expert_edit", args=[maria.pk])).status_code == 200
