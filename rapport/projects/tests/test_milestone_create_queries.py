"""Creating a milestone is a handful of inserts (P15: its commitment is opened with it) and
one forecast of its owner's milestones (P16: when each becomes at risk)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.commitments.models import Commitment
from rapport.conftest import Persona
from rapport.projects.models import Project
from rapport.projects.selectors import project_get
from rapport.projects.services import milestone_create


@pytest.fixture(autouse=True)
def _midday() -> Iterator[None]:
    """A fixed midday: the project's fixture dates come from the machine's day while the
    forecast counts days in Athens, and from 22:00 UTC the extra day puts the new milestone
    behind (11 of 69 days elapsed at 0 %), which is one UPDATE fewer."""
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=UTC), tick=False):
        yield


def test_milestone_create_is_four_inserts_a_forecast_and_opens_its_commitment(
    alice: Persona, website: Project
) -> None:
    project = project_get(workspace=alice.workspace, pk=website.pk)
    assert project is not None and website.due_date is not None
    with CaptureQueriesContext(connection) as ctx:
        milestone = milestone_create(
            project=project,
            actor=alice.user,
            title="Copy review",
            due_date=website.due_date - timedelta(days=1),
        )
    statements = [q["sql"].split()[0] for q in ctx.captured_queries]
    # The milestone; the forecast (members' capacities, the owner's open milestones, their
    # risk moments, the warnings no longer true); its commitment and two timeline events; the
    # test's savepoint around them. The same whatever the number of milestones.
    assert statements == [
        "SAVEPOINT",
        "INSERT",
        "SELECT",
        "SELECT",
        "UPDATE",
        "UPDATE",
        "INSERT",
        "INSERT",
        "INSERT",
        "RELEASE",
    ]
    commitment = Commitment.objects.get(milestone=milestone)
    assert commitment.state == Commitment.State.OPEN
    assert commitment.dedupe_key == f"milestone:{milestone.pk}:{milestone.due_date.isoformat()}"
