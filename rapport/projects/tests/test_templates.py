"""Project templates and "Duplicate project" (the first day): milestones dated by their
offsets, deliverables and cadence carried over, nothing of the history copied, and no way
across workspaces."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.accounts.models import Membership, User
from rapport.billing.services.time_entries import time_entry_add
from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.conftest import Persona
from rapport.conversations.services import request_receive
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.projects.duplicate import project_duplicate
from rapport.projects.models import (
    Deliverable,
    Milestone,
    Project,
    ProjectTemplate,
    ProjectUpdate,
)
from rapport.projects.project_templates import (
    project_create_from_template,
    template_archive,
    template_rename,
    template_save_from_project,
)
from rapport.projects.services import (
    deliverable_create,
    milestone_create,
    milestone_update,
    project_create,
)

START = date(2027, 3, 1)


@pytest.fixture
def phased(acme: Client, alice: Persona) -> Project:
    """A website in three phases: due 10, 30 and 45 days after its start."""
    project = project_create(
        client=acme,
        actor=alice.user,
        title="Website",
        start_date=START,
        due_date=START + timedelta(days=45),
        update_cadence="biweekly",
        update_weekday=1,
        out_of_scope="Copywriting",
        budget=Decimal("3000"),
    )
    for title, days, hours in (("Discovery", 10, "8"), ("Design", 30, "40"), ("Build", 45, "60")):
        milestone = milestone_create(
            project=project,
            actor=alice.user,
            title=title,
            due_date=START + timedelta(days=days),
            estimate_hours=Decimal(hours),
        )
        deliverable_create(
            milestone=milestone,
            actor=alice.user,
            title=f"{title} report",
            spec=f"What {title} delivers",
            format=".pdf",
        )
    return project


@pytest.fixture
def template(phased: Project, alice: Persona) -> ProjectTemplate:
    return template_save_from_project(
        project=phased, actor=alice.user, name="Website in three phases"
    )


def test_save_as_template_keeps_offsets_deliverables_and_cadence(
    template: ProjectTemplate,
) -> None:
    steps = list(template.milestones.order_by("position"))
    assert [(s.title, s.offset_days, s.estimate_hours) for s in steps] == [
        ("Discovery", 10, Decimal("8")),
        ("Design", 30, Decimal("40")),
        ("Build", 45, Decimal("60")),
    ]
    assert [d.title for d in steps[1].deliverables.all()] == ["Design report"]
    assert (template.update_cadence, template.update_weekday) == ("biweekly", 1)
    assert template.out_of_scope == "Copywriting"


def test_a_template_name_is_needed_and_unique(
    template: ProjectTemplate, phased: Project, alice: Persona
) -> None:
    for name, reason in (("  ", "name"), ("website in three PHASES", "exists")):
        with pytest.raises(ApplicationError) as exc:
            template_save_from_project(project=phased, actor=alice.user, name=name)
        assert exc.value.field == "name"
        assert reason in exc.value.message
    assert ProjectTemplate.objects.count() == 1


def test_a_project_without_start_cannot_be_saved_as_template(acme: Client, alice: Persona) -> None:
    project = project_create(client=acme, actor=alice.user, title="Undated")
    with pytest.raises(ApplicationError) as exc:
        template_save_from_project(project=project, actor=alice.user, name="X")
    assert "start date" in exc.value.message
    assert not ProjectTemplate.objects.exists()


def test_new_project_from_template_dates_milestones_by_their_offsets(
    template: ProjectTemplate, acme: Client, alice: Persona
) -> None:
    start = date(2027, 6, 7)
    project = project_create_from_template(
        template=template, client=acme, actor=alice.user, title="Shop site", start_date=start
    )
    assert (project.start_date, project.due_date) == (start, start + timedelta(days=45))
    assert (project.update_cadence, project.update_weekday) == ("biweekly", 1)
    assert project.status == Project.Status.PROPOSED
    milestones = list(project.milestones.order_by("due_date"))
    assert [m.due_date for m in milestones] == [start + timedelta(days=d) for d in (10, 30, 45)]
    assert all(m.owner == alice.user for m in milestones)  # the creator, by default
    assert Deliverable.objects.filter(milestone__project=project).count() == 3
    assert TimelineEvent.objects.filter(verb="project.from_template", subject_id=project.pk)


def test_the_owner_may_be_another_member(
    template: ProjectTemplate, acme: Client, alice: Persona, mallory: Persona
) -> None:
    bob = User.objects.create_user("bob@example.com", "x-Passw0rd-x", name="Bob")
    Membership.objects.create(workspace=alice.workspace, user=bob)
    project = project_create_from_template(
        template=template, client=acme, actor=alice.user, title="P", start_date=START, owner=bob
    )
    assert {m.owner for m in project.milestones.all()} == {bob}
    with pytest.raises(ApplicationError) as exc:
        project_create_from_template(
            template=template,
            client=acme,
            actor=alice.user,
            title="Q",
            start_date=START,
            owner=mallory.user,
        )
    assert exc.value.field == "owner"
    assert not Project.objects.filter(title="Q").exists()


@pytest.mark.parametrize(
    ("start", "field"), [(None, "start_date"), (date(1900, 1, 1), "start_date")]
)
def test_a_start_date_that_makes_no_sense_is_refused(
    template: ProjectTemplate, acme: Client, alice: Persona, start: date | None, field: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        project_create_from_template(
            template=template, client=acme, actor=alice.user, title="Old", start_date=start
        )
    assert exc.value.field == field
    assert not Project.objects.filter(title="Old").exists()


def test_rename_and_archive(template: ProjectTemplate, phased: Project, alice: Persona) -> None:
    other = template_save_from_project(project=phased, actor=alice.user, name="Other")
    with pytest.raises(ApplicationError) as exc:
        template_rename(template=other, name="Website in three phases")
    assert exc.value.field == "name"
    template_rename(template=other, name="Landing page")
    template_archive(template=template)
    assert template.archived_at is not None
    with pytest.raises(ApplicationError) as exc:
        project_create_from_template(
            template=template, client=phased.client, actor=alice.user, title="X", start_date=START
        )
    assert exc.value.field == "template"
    # The name is free again once archived; restoring it then would make two.
    template_rename(template=other, name="Website in three phases")
    with pytest.raises(ApplicationError):
        template_archive(template=template, archived=False)


def test_templates_pages(template: ProjectTemplate, alice_http: HttpClient, acme: Client) -> None:
    page = alice_http.get(reverse("projects:templates")).content.decode()
    assert "Website in three phases" in page and "Design report" in page
    use = reverse("projects:template_use", args=[template.pk])
    refused = alice_http.post(use, {"client": acme.pk, "title": "", "start_date": ""})
    assert refused.status_code == 400
    created = alice_http.post(use, {"client": acme.pk, "title": "Shop", "start_date": "2027-05-03"})
    project = Project.objects.get(title="Shop")
    assert created["Location"] == reverse("projects:detail", args=[project.pk])
    renamed = alice_http.post(
        reverse("projects:template_rename", args=[template.pk]), {f"t{template.pk}-name": "Sites"}
    )
    assert renamed.status_code == 302
    template.refresh_from_db()
    assert template.name == "Sites"
    alice_http.post(reverse("projects:template_archive", args=[template.pk]))
    assert "Sites" not in alice_http.get(reverse("projects:templates")).content.decode()


# --- Duplicate ---------------------------------------------------------------------------------


def test_duplicate_shifts_dates_and_copies_no_history(
    phased: Project, acme: Client, carol: Any, alice: Persona
) -> None:
    design = phased.milestones.get(title="Design")
    milestone_update(milestone=design, actor=alice.user, progress=60)
    ProjectUpdate.objects.create(
        workspace=alice.workspace, project=phased, body="Going well", sent_at=design.created_at
    )
    request_receive(
        client=acme, contact=carol, source="phone", subject="Logo", body="New logo", project=phased
    )
    time_entry_add(
        project=phased, actor=alice.user, worked_on=date.today(), hours="2", description="x"
    )
    other = client_create(workspace=alice.workspace, actor=alice.user, name="Beta SRL")
    copy = project_duplicate(
        project=phased,
        client=other,
        actor=alice.user,
        title="Beta site",
        start_date=START + timedelta(days=100),
    )
    assert copy.client == other and copy.budget == Decimal("3000")
    assert (copy.start_date, copy.due_date) == (
        START + timedelta(days=100),
        START + timedelta(days=145),
    )
    milestones = list(copy.milestones.order_by("due_date"))
    assert [m.due_date for m in milestones] == [START + timedelta(days=d) for d in (110, 130, 145)]
    assert all(m.progress == 0 and m.status == Milestone.Status.PLANNED for m in milestones)
    assert Deliverable.objects.filter(milestone__project=copy, status="pending").count() == 3
    assert not copy.updates.exists()
    assert not copy.requests.exists()
    assert not copy.time_entries.exists()
    verbs = set(TimelineEvent.objects.filter(client=other).values_list("verb", flat=True))
    assert "project.duplicated" in verbs and "milestone.progressed" not in verbs


def test_duplicate_page(phased: Project, alice_http: HttpClient, acme: Client) -> None:
    url = reverse("projects:duplicate", args=[phased.pk])
    assert "Website (copy)" in alice_http.get(url).content.decode()
    refused = alice_http.post(url, {"client": acme.pk, "title": "Old", "start_date": "1900-01-01"})
    assert refused.status_code == 400 and not Project.objects.filter(title="Old").exists()
    done = alice_http.post(url, {"client": acme.pk, "title": "Again", "start_date": "2027-09-01"})
    assert done.status_code == 302
    assert Project.objects.get(title="Again").milestones.count() == 3


# --- Tenancy -----------------------------------------------------------------------------------


def test_a_template_cannot_be_used_for_another_workspaces_client(
    template: ProjectTemplate, phased: Project, mallory_data: dict[str, Any], alice: Persona
) -> None:
    evil = mallory_data["client"]
    with pytest.raises(ApplicationError) as exc:
        project_create_from_template(
            template=template, client=evil, actor=alice.user, title="X", start_date=START
        )
    assert exc.value.field == "client"
    with pytest.raises(ApplicationError) as exc:
        project_duplicate(
            project=phased, client=evil, actor=alice.user, title="X", start_date=START
        )
    assert exc.value.field == "client"
    assert not Project.objects.filter(title="X").exists()


def test_the_forms_offer_only_this_workspaces_clients(
    template: ProjectTemplate, phased: Project, alice_http: HttpClient, mallory_data: dict[str, Any]
) -> None:
    evil = mallory_data["client"]
    data = {"client": evil.pk, "title": "X", "start_date": "2027-05-03"}
    for url in (
        reverse("projects:template_use", args=[template.pk]),
        reverse("projects:duplicate", args=[phased.pk]),
    ):
        assert "Evil Corp" not in alice_http.get(url).content.decode()
        assert alice_http.post(url, data).status_code == 400
    assert not Project.objects.filter(title="X").exists()


def test_an_outsider_cannot_use_rename_archive_or_duplicate(
    template: ProjectTemplate,
    phased: Project,
    mallory_http: HttpClient,
    mallory_data: dict[str, Any],
) -> None:
    data = {"client": mallory_data["client"].pk, "title": "Stolen", "start_date": "2027-05-03"}
    assert "three phases" not in mallory_http.get(reverse("projects:templates")).content.decode()
    for name, pk in (
        ("projects:template_use", template.pk),
        ("projects:duplicate", phased.pk),
        ("projects:template_save", phased.pk),
    ):
        assert mallory_http.get(reverse(name, args=[pk])).status_code == 404
        assert mallory_http.post(reverse(name, args=[pk]), data).status_code == 404
    for name in ("projects:template_rename", "projects:template_archive"):
        assert mallory_http.post(reverse(name, args=[template.pk])).status_code == 404
    template.refresh_from_db()
    assert template.archived_at is None and template.name == "Website in three phases"
    assert not Project.objects.filter(title="Stolen").exists()
