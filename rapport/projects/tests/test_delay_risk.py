"""Early warnings that are right (P16): one table of scenarios, each a small world and the
warning it must (or must not) raise at the next tick.

The clock stands on Monday 23 November 2026, 10:00 in Athens; Alice (30 hours a week over five
business days: 6 hours a day) owns the workspace; the project runs from 2 November.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from rapport.accounts.models import Membership, User
from rapport.clients.models import Client
from rapport.conftest import Persona
from rapport.notifications.models import Alert
from rapport.projects.models import Milestone, Project
from rapport.projects.risk import milestone_forecast
from rapport.projects.scanners import delay_risks_scan
from rapport.projects.services import (
    milestone_archive,
    milestone_create,
    milestone_update,
    project_create,
    project_update,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # 10:00 in Athens
D = dt.date


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    alice: Persona
    project: Project

    def milestone(self, title: str, due: dt.date, progress: int = 0, **extra: Any) -> Milestone:
        return milestone_create(
            project=self.project,
            actor=self.alice.user,
            title=title,
            due_date=due,
            progress=progress,
            **extra,
        )

    def member(self, email: str, capacity: int) -> User:
        user = User.objects.create_user(email=email, password=None, name=email.split("@")[0])
        Membership.objects.create(
            workspace=self.alice.workspace, user=user, weekly_capacity_hours=capacity
        )
        return user


@pytest.fixture
def world(clock: time_machine.Traveller, alice: Persona, acme: Client) -> World:
    project = project_create(
        client=acme,
        actor=alice.user,
        title="Shop",
        start_date=D(2026, 11, 2),
        due_date=D(2027, 3, 31),
        status=Project.Status.ACTIVE,
    )
    return World(alice=alice, project=project)


# Each scenario builds its world and returns the milestone the table speaks of.
def not_started(w: World) -> Milestone:
    w.milestone("Designs", D(2026, 12, 11), 50)
    return w.milestone("Build", D(2027, 1, 29), 0)  # its window opens on 11 December


def on_track(w: World) -> Milestone:
    return w.milestone("Designs", D(2026, 12, 18), 40)  # 46 % of its window elapsed


def behind(w: World) -> Milestone:
    return w.milestone("Designs", D(2026, 12, 18), 10)


def late_discovery(w: World) -> Milestone:
    return w.milestone("Hotfix", D(2026, 11, 25), 20)  # two working days left, 91 % expected


def overloaded_by_earlier(w: World) -> Milestone:
    # Before 4 December: 32 hours still to do on Designs; Build needs 60 more by the 11th,
    # and Alice has 84 hours until then: 92 > 84.
    w.milestone("Designs", D(2026, 12, 4), 60, estimate_hours=Decimal(80), owner=w.alice.user)
    return w.milestone("Build", D(2026, 12, 11), 0, estimate_hours=Decimal(60))


def earlier_work_of_another_member(w: World) -> Milestone:
    bob = w.member("bob@example.com", 30)
    w.milestone("Designs", D(2026, 12, 4), 60, estimate_hours=Decimal(80), owner=bob)
    return w.milestone("Build", D(2026, 12, 11), 0, estimate_hours=Decimal(60))


def no_estimate(w: World) -> Milestone:
    return w.milestone("Copy", D(2026, 11, 27), 80)  # on pace; no hours to weigh


def project_on_hold(w: World) -> Milestone:
    milestone = w.milestone("Designs", D(2026, 12, 18), 10)
    project_update(project=w.project, actor=w.alice.user, status=Project.Status.ON_HOLD)
    return milestone


def _holiday_case(w: World) -> Milestone:
    # 141 hours from today to Christmas Day: 24 working days (144 h) cover it, 23 do not.
    return w.milestone(
        "Catalogue",
        D(2026, 12, 25),
        0,
        start_date=D(2026, 11, 23),
        estimate_hours=Decimal(141),
    )


def holiday_eats_the_last_day(w: World) -> Milestone:
    w.alice.workspace.holiday_country = "GR"
    w.alice.workspace.save()
    return _holiday_case(w)


def no_holiday(w: World) -> Milestone:
    return _holiday_case(w)


def done(w: World) -> Milestone:
    milestone = w.milestone("Designs", D(2026, 12, 18), 10)
    return milestone_update(milestone=milestone, actor=w.alice.user, status="done")


def archived(w: World) -> Milestone:
    milestone = w.milestone("Designs", D(2026, 12, 18), 10)
    return milestone_archive(milestone=milestone, actor=w.alice.user)


def start_date_set(w: World) -> Milestone:
    return w.milestone("Designs", D(2026, 12, 18), 10, start_date=D(2026, 12, 1))


def previous_milestone_window(w: World) -> Milestone:
    # From the project's start it would be 48 % expected; from Discovery's date, 23 %.
    w.milestone("Discovery", D(2026, 11, 16), 100)
    return w.milestone("Designs", D(2026, 12, 16), 10)


def capacity_zero(w: World) -> Milestone:
    Membership.objects.filter(pk=w.alice.membership.pk).update(weekly_capacity_hours=0)
    return w.milestone(
        "Designs", D(2027, 1, 15), 0, start_date=D(2026, 11, 23), estimate_hours=Decimal(10)
    )


def capacity_cut_later(w: World) -> Milestone:
    milestone = w.milestone("Designs", D(2026, 12, 18), 40, estimate_hours=Decimal(60))
    membership = w.alice.membership
    membership.weekly_capacity_hours = 5  # 1 hour a day: 19 hours left for 36
    membership.save()
    return milestone


def due_today(w: World) -> Milestone:
    return w.milestone("Proofs", D(2026, 11, 23), 50)


def unowned_uses_the_owners_capacity(w: World) -> Milestone:
    # No owner: the workspace owner answers for it (30 h a week), not a flat default.
    return w.milestone(
        "Build", D(2026, 12, 4), 0, start_date=D(2026, 11, 23), estimate_hours=Decimal(60)
    )


WARNING, URGENT = Alert.Severity.WARNING, Alert.Severity.URGENT
SCENARIOS: list[tuple[Callable[[World], Milestone], int | None, tuple[str, ...]]] = [
    (not_started, None, ()),
    (on_track, None, ()),
    (behind, WARNING, ("behind",)),
    (late_discovery, URGENT, ("behind",)),
    (overloaded_by_earlier, WARNING, ("capacity",)),
    (earlier_work_of_another_member, None, ()),
    (no_estimate, None, ()),
    (project_on_hold, None, ()),
    (holiday_eats_the_last_day, WARNING, ("capacity",)),
    (no_holiday, None, ()),
    (done, None, ()),
    (archived, None, ()),
    (start_date_set, None, ()),
    (previous_milestone_window, None, ()),
    (capacity_zero, WARNING, ("capacity",)),
    (capacity_cut_later, WARNING, ("capacity",)),
    (due_today, URGENT, ("behind",)),
    (unowned_uses_the_owners_capacity, WARNING, ("capacity",)),
]


@pytest.mark.parametrize(
    ("build", "severity", "reasons"), SCENARIOS, ids=[s[0].__name__ for s in SCENARIOS]
)
def test_delay_warning(
    world: World,
    build: Callable[[World], Milestone],
    severity: int | None,
    reasons: tuple[str, ...],
) -> None:
    milestone = build(world)
    delay_risks_scan(timezone.now())
    alerts = Alert.objects.filter(
        kind=Alert.Kind.DEADLINE_AT_RISK, state=Alert.State.OPEN, subject_id=milestone.pk
    )
    if severity is None:
        assert not alerts.exists()
        return
    alert = alerts.get()
    assert alert.severity == severity
    assert tuple(alert.data["reasons"]) == reasons
    assert alert.assignee_id == world.alice.user.pk
    assert alert.data["proposed_due_date"] > milestone.due_date.isoformat()
    assert delay_risks_scan(timezone.now()) == 0  # raised once


def test_progress_catching_up_resolves_the_warning(world: World) -> None:
    milestone = behind(world)
    assert delay_risks_scan(timezone.now()) == 1
    alert = Alert.objects.get(kind=Alert.Kind.DEADLINE_AT_RISK)
    milestone_update(milestone=milestone, actor=world.alice.user, progress=45)
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE
    assert delay_risks_scan(timezone.now()) == 0


def test_a_warning_turns_urgent_when_the_horizon_is_reached(
    world: World, clock: time_machine.Traveller
) -> None:
    milestone = behind(world)
    assert delay_risks_scan(timezone.now()) == 1
    milestone.refresh_from_db()
    # Three working days left (16, 17, 18 December): from Tuesday the 15th, in Athens.
    assert milestone.risk_at == dt.datetime(2026, 12, 14, 22, 0, tzinfo=dt.UTC)
    clock.move_to(dt.datetime(2026, 12, 14, 21, 59, tzinfo=dt.UTC))
    assert delay_risks_scan(timezone.now()) == 0
    clock.move_to(dt.datetime(2026, 12, 14, 22, 0, tzinfo=dt.UTC))
    assert delay_risks_scan(timezone.now()) == 1
    alert = Alert.objects.get(kind=Alert.Kind.DEADLINE_AT_RISK)
    assert (alert.severity, alert.state) == (URGENT, Alert.State.OPEN)
    milestone.refresh_from_db()
    assert milestone.risk_at is None  # nothing more to say until something changes


def test_the_scan_warns_on_the_day_a_full_forecast_would(
    world: World, clock: time_machine.Traveller
) -> None:
    """Day by day for six weeks, the warnings raised from ``risk_at`` are exactly those a full
    forecast of every open milestone finds: the moment is right, not merely cheap."""
    bob = world.member("bob@example.com", 20)
    world.milestone("Discovery", D(2026, 11, 20), 100)
    world.milestone("Designs", D(2026, 12, 4), 55, estimate_hours=Decimal(40))
    world.milestone("Build", D(2026, 12, 23), 0, estimate_hours=Decimal(70), owner=bob)
    world.milestone("Copy", D(2026, 12, 30), 10)
    world.milestone("Launch", D(2027, 1, 8), 0, start_date=D(2026, 12, 28))
    seen: set[int] = set()
    for day in range(42):
        clock.move_to(NOW + dt.timedelta(days=day))
        delay_risks_scan(timezone.now())
        raised = set(
            Alert.objects.filter(kind=Alert.Kind.DEADLINE_AT_RISK).values_list(
                "subject_id", flat=True
            )
        )
        for m in Milestone.objects.exclude(status="done").filter(
            due_date__gte=timezone.localdate()
        ):
            if milestone_forecast(milestone=m)[0].at_risk:
                seen.add(m.pk)
        assert seen <= raised, f"day {day}: a risk the scan did not raise"
        assert raised <= seen, f"day {day}: a warning no forecast supports"
    assert len(seen) >= 3


def test_the_scan_reads_only_what_is_due(world: World) -> None:
    for n in range(30):
        world.milestone(f"Later {n}", D(2027, 3, 1), 0, start_date=D(2027, 2, 1))
    behind(world)
    assert Milestone.objects.filter(risk_at__lte=timezone.now()).count() == 1
    assert delay_risks_scan(timezone.now()) == 1


def test_start_after_due_is_refused_naming_the_field(world: World) -> None:
    from rapport.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        world.milestone("Designs", D(2026, 12, 18), 0, start_date=D(2026, 12, 19))
    assert refused.value.field == "start_date"
    assert not Milestone.objects.exists()


def test_handing_earlier_work_to_another_member_lightens_the_former_owner(
    world: World, acme: Client
) -> None:
    """Build (another project) is at risk only through Designs' hours; when Designs goes to
    Bob, Alice's load falls and the warning on Build is resolved."""
    bob = world.member("bob@example.com", 30)
    designs = world.milestone(
        "Designs", D(2026, 12, 4), 60, estimate_hours=Decimal(80), owner=world.alice.user
    )
    other = project_create(
        client=acme,
        actor=world.alice.user,
        title="Brochure",
        start_date=D(2026, 12, 4),
        due_date=D(2027, 3, 31),
        status=Project.Status.ACTIVE,
    )
    build = milestone_create(
        project=other,
        actor=world.alice.user,
        title="Build",
        due_date=D(2026, 12, 11),
        estimate_hours=Decimal(60),
        owner=world.alice.user,
    )
    assert delay_risks_scan(timezone.now()) == 1
    alert = Alert.objects.get(kind=Alert.Kind.DEADLINE_AT_RISK, subject_id=build.pk)
    designs = Milestone.objects.get(pk=designs.pk)
    milestone_update(milestone=designs, actor=world.alice.user, owner=bob)
    alert.refresh_from_db()
    assert alert.state == Alert.State.DONE
    build.refresh_from_db()
    assert build.earlier_hours == 0
