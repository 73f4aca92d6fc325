"""Dates that make no sense (a project in 1900, a promise in 2099) are refused by the services
with a message naming the field; the forms show it on that field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from rapport.billing.services.time_entries import time_entry_add
from rapport.clients.models import Client
from rapport.commitments.services import promise_create
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.validation import EARLIEST_DATE, check_date, latest_date
from rapport.projects.models import Project
from rapport.projects.services import milestone_create, project_create, project_update


def _refused_on(field: str, call: object) -> None:
    assert callable(call)
    with pytest.raises(ApplicationError) as exc:
        call()
    assert exc.value.field == field
    assert "Enter a date between" in exc.value.message


def test_bounds() -> None:
    check_date(None, field="due_date")
    check_date(EARLIEST_DATE, field="due_date")
    check_date(latest_date(), field="due_date")
    _refused_on("due_date", lambda: check_date(date(1999, 12, 31), field="due_date"))
    _refused_on("due_date", lambda: check_date(latest_date() + timedelta(days=1), field="due_date"))


def test_latest_date_on_29_february() -> None:
    assert latest_date(date(2080, 2, 29)) == date(2100, 2, 28)  # 2100 is no leap year


def test_project_in_1900_is_refused(acme: Client, alice: Persona) -> None:
    _refused_on(
        "start_date",
        lambda: project_create(
            client=acme, actor=alice.user, title="Old", start_date=date(1900, 1, 1)
        ),
    )
    assert not Project.objects.filter(title="Old").exists()


def test_project_due_in_3026_is_refused(website: Project, alice: Persona) -> None:
    _refused_on(
        "due_date",
        lambda: project_update(project=website, actor=alice.user, due_date=date(3026, 1, 1)),
    )
    website.refresh_from_db()
    assert website.due_date is not None and website.due_date.year < 3000


def test_milestone_date_is_checked(website: Project, alice: Persona) -> None:
    website.due_date = None
    website.save()
    _refused_on(
        "due_date",
        lambda: milestone_create(
            project=website, actor=alice.user, title="Far", due_date=date(2090, 1, 1)
        ),
    )


def test_time_entry_date_is_checked(website: Project, alice: Persona) -> None:
    _refused_on(
        "worked_on",
        lambda: time_entry_add(
            project=website,
            actor=alice.user,
            worked_on=date(1990, 5, 1),
            hours="2",
            description="Old work",
        ),
    )


def test_promise_date_is_checked(acme: Client, alice: Persona) -> None:
    far = timezone.make_aware(datetime(2099, 1, 1, 12))
    _refused_on(
        "due_at",
        lambda: promise_create(client=acme, actor=alice.user, wording="Call back", due_at=far),
    )


def test_project_form_shows_the_error_on_the_field(
    website: Project, alice_http: HttpClient
) -> None:
    response = alice_http.post(
        reverse("projects:edit", args=[website.pk]),
        {
            "title": website.title,
            "status": "active",
            "currency": "EUR",
            "update_cadence": "weekly",
            "update_weekday": "4",
            "start_date": "1900-01-01",
        },
    )
    assert response.status_code == 400
    assert "Enter a date between" in response.context["form"].errors["start_date"][0]
