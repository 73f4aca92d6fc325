from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from rapport.clients.models import Client
from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.core.models import TimelineEvent
from rapport.projects.models import Milestone, Project
from rapport.projects.services import (
    deliverable_create,
    milestone_complete,
    milestone_create,
    milestone_update,
    project_create,
    project_update,
)


def test_milestone_after_project_due_date_is_refused(alice: Persona, website: Project) -> None:
    assert website.due_date is not None
    with pytest.raises(ApplicationError) as exc:
        milestone_create(
            project=website,
            actor=alice.user,
            title="Late",
            due_date=website.due_date + timedelta(days=1),
        )
    assert exc.value.field == "due_date"
    assert not Milestone.objects.filter(title="Late").exists()


def test_milestone_before_project_start_is_refused(alice: Persona, website: Project) -> None:
    assert website.start_date is not None
    with pytest.raises(ApplicationError) as exc:
        milestone_create(
            project=website,
            actor=alice.user,
            title="Early",
            due_date=website.start_date - timedelta(days=1),
        )
    assert exc.value.field == "due_date"


@pytest.mark.parametrize("progress", [-1, 101, 130])
def test_progress_out_of_range_is_refused(
    alice: Persona, design_milestone: Milestone, progress: int
) -> None:
    with pytest.raises(ApplicationError) as exc:
        milestone_update(milestone=design_milestone, actor=alice.user, progress=progress)
    assert exc.value.field == "progress"
    design_milestone.refresh_from_db()
    assert design_milestone.progress == 40


def test_progress_and_status_tell_one_story(alice: Persona, design_milestone: Milestone) -> None:
    milestone_update(milestone=design_milestone, actor=alice.user, progress=100)
    assert design_milestone.status == Milestone.Status.DONE
    assert design_milestone.completed_at is not None
    milestone_update(
        milestone=design_milestone,
        actor=alice.user,
        status=Milestone.Status.IN_PROGRESS,
        progress=80,
    )
    assert design_milestone.completed_at is None


def test_complete_records_done_event(alice: Persona, design_milestone: Milestone) -> None:
    milestone_complete(milestone=design_milestone, actor=alice.user)
    assert design_milestone.progress == 100
    assert TimelineEvent.objects.filter(
        verb="milestone.done", subject_id=design_milestone.pk
    ).exists()


def test_progress_event(alice: Persona, design_milestone: Milestone) -> None:
    milestone_update(milestone=design_milestone, actor=alice.user, progress=70)
    event = TimelineEvent.objects.filter(verb="milestone.progressed").latest("id")
    assert "70%" in event.describe()


def test_project_due_before_start_is_refused(alice: Persona, acme: Client) -> None:
    with pytest.raises(ApplicationError) as exc:
        project_create(
            client=acme,
            actor=alice.user,
            title="X",
            start_date=date(2027, 1, 2),
            due_date=date(2027, 1, 1),
        )
    assert exc.value.field == "due_date"


def test_project_due_date_cannot_move_before_a_milestone(
    alice: Persona, website: Project, design_milestone: Milestone
) -> None:
    with pytest.raises(ApplicationError) as exc:
        project_update(
            project=website,
            actor=alice.user,
            due_date=design_milestone.due_date - timedelta(days=1),
        )
    assert exc.value.field == "due_date"


@pytest.mark.parametrize("budget", [Decimal("-1"), Decimal("1000000000")])
def test_absurd_budget_is_refused(alice: Persona, acme: Client, budget: Decimal) -> None:
    with pytest.raises(ApplicationError) as exc:
        project_create(client=acme, actor=alice.user, title="X", budget=budget)
    assert exc.value.field == "budget"
    assert not Project.objects.filter(title="X").exists()


def test_project_currency_defaults_to_client(alice: Persona, acme: Client) -> None:
    project = project_create(client=acme, actor=alice.user, title="Y")
    assert project.currency == acme.currency


def test_archived_client_gets_no_new_project(alice: Persona, acme: Client) -> None:
    from rapport.clients.services import client_archive

    client_archive(client=acme, actor=alice.user)
    with pytest.raises(ApplicationError):
        project_create(client=acme, actor=alice.user, title="Z")


def test_deliverable_needs_spec_and_format(alice: Persona, design_milestone: Milestone) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverable_create(
            milestone=design_milestone, actor=alice.user, title="Logo", spec="", format=".svg"
        )
    assert exc.value.field == "spec"


def test_status_change_event(alice: Persona, website: Project) -> None:
    project_update(project=website, actor=alice.user, status=Project.Status.ON_HOLD)
    assert TimelineEvent.objects.filter(verb="project.status_changed").exists()
