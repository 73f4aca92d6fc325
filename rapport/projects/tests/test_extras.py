"""Extras (P18): planned with their cost, delivered, told once in the next progress update in
the contact's language, counted on the client page, and out of an outsider's reach."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.clients.models import Client, Contact
from rapport.clients.services import contact_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.notifications.models import Notification
from rapport.projects.extras import client_extra_counts, extra_deliver, extra_plan
from rapport.projects.models import Extra, Project
from rapport.projects.updates import update_send


def test_delivered_extra_is_told_once_in_each_contacts_language(
    alice: Persona, acme: Client, carol: Contact, website: Project
) -> None:
    radu = contact_create(
        client=acme, actor=alice.user, name="Radu", email="radu@acme.example", language="ro"
    )
    favicon = extra_plan(
        project=website, actor=alice.user, title="A favicon set", cost_hours=Decimal("1.5")
    )
    planned_only = extra_plan(
        project=website, actor=alice.user, title="Print styles", cost_amount=Decimal("40")
    )
    assert extra_deliver(extra=favicon, actor=alice.user)
    assert not extra_deliver(extra=favicon, actor=alice.user)  # once
    first = update_send(project=website, actor=alice.user, contacts=[carol, radu], body="Hi")
    el = Notification.objects.get(contact=carol, subject_id=first.pk, kind="progress_update")
    ro = Notification.objects.get(contact=radu, subject_id=first.pk, kind="progress_update")
    assert "A favicon set" in el.body and "A favicon set" in ro.body
    assert "Print styles" not in el.body  # planned, not delivered
    assert "We also" not in el.body and "We also" not in ro.body  # in their language
    favicon.refresh_from_db()
    assert favicon.reported_in == first and favicon.reported_at is not None
    second = update_send(project=website, actor=alice.user, contacts=[carol], body="Again")
    again = Notification.objects.get(contact=carol, subject_id=second.pk, kind="progress_update")
    assert "A favicon set" not in again.body
    assert client_extra_counts(client=acme) == {"delivered": 1, "planned": 1}
    assert planned_only.delivered_at is None
    verbs = set(TimelineEvent.objects.filter(client=acme).values_list("verb", flat=True))
    assert {"extra.planned", "extra.delivered"} <= verbs


def test_english_update_says_we_also(alice: Persona, acme: Client, website: Project) -> None:
    dan = contact_create(
        client=acme, actor=alice.user, name="Dan", email="dan@acme.example", language="en"
    )
    extra = extra_plan(
        project=website, actor=alice.user, title="A favicon set", cost_hours=Decimal(1)
    )
    extra_deliver(extra=extra, actor=alice.user)
    update = update_send(project=website, actor=alice.user, contacts=[dan], body="Hi")
    body = Notification.objects.get(subject_id=update.pk, kind="progress_update").body
    assert "We also did a little more than agreed:" in body and "- A favicon set" in body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201, "cost_hours": Decimal(1)}, "title"),
        ({"title": "Favicon"}, "cost_hours"),
        ({"title": "Favicon", "cost_hours": Decimal(0)}, "cost_hours"),
        ({"title": "Favicon", "cost_hours": Decimal(1001)}, "cost_hours"),
        ({"title": "Favicon", "cost_amount": Decimal(-5)}, "cost_amount"),
    ],
)
def test_refusals_name_the_field(
    alice: Persona, website: Project, data: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        extra_plan(project=website, actor=alice.user, **data)  # type: ignore[arg-type]
    assert exc.value.field == field
    assert not Extra.objects.exists()


def test_pages_plan_deliver_and_count(
    alice_http: HttpClient, acme: Client, website: Project
) -> None:
    url = reverse("projects:extras", args=[website.pk])
    assert alice_http.get(url).status_code == 200
    refused = alice_http.post(url, {"title": "Favicon", "cost_hours": "", "cost_amount": ""})
    assert refused.status_code == 400
    assert "Say what it costs us" in refused.content.decode()
    assert alice_http.post(url, {"title": "Favicon", "cost_hours": "2"}).status_code == 302
    extra = Extra.objects.get()
    done = alice_http.post(reverse("projects:extra_delivered", args=[extra.pk]))
    assert done.status_code == 302
    extra.refresh_from_db()
    assert extra.delivered_at is not None
    page = alice_http.get(reverse("clients:detail", args=[acme.pk])).content.decode()
    assert "1 extra beyond the agreement delivered" in page


def test_outsider_gets_404(alice: Persona, website: Project, mallory_http: HttpClient) -> None:
    extra = extra_plan(project=website, actor=alice.user, title="Favicon", cost_hours=Decimal(1))
    url = reverse("projects:extras", args=[website.pk])
    assert mallory_http.get(url).status_code == 404
    assert mallory_http.post(url, {"title": "X", "cost_hours": "1"}).status_code == 404
    deliver = reverse("projects:extra_delivered", args=[extra.pk])
    assert mallory_http.post(deliver).status_code == 404
    extra.refresh_from_db()
    assert extra.delivered_at is None and Extra.objects.count() == 1
