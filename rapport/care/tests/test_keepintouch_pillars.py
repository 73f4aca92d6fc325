"""The three pillars by month (P34): clients new, kept and won back, for the reports page."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.care.keepintouch.selectors import Pillars, _pillar, pillars_by_month
from rapport.care.models import CheckIn
from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.conftest import Persona
from rapport.projects.models import Project


def _client(alice: Persona, name: str) -> Client:
    return client_create(workspace=alice.workspace, actor=alice.user, name=name)


def _project(
    alice: Persona, client: Client, started: date, delivered: date | None = None
) -> Project:
    return Project.objects.create(
        workspace=alice.workspace,
        client=client,
        title=f"{client.name} {started}",
        start_date=started,
        status="delivered" if delivered else "active",
        delivered_at=datetime(delivered.year, delivered.month, delivered.day, 12, tzinfo=UTC)
        if delivered
        else None,
    )


def test_new_kept_and_won_back_by_month(alice: Persona, mallory: Persona) -> None:
    fresh = _client(alice, "Fresh")
    _project(alice, fresh, date(2027, 3, 4))
    loyal = _client(alice, "Loyal")
    _project(alice, loyal, date(2026, 1, 10), date(2026, 6, 1))
    _project(alice, loyal, date(2027, 3, 20))  # delivered 9 months before: kept
    gone = _client(alice, "Gone")
    _project(alice, gone, date(2024, 1, 10), date(2025, 2, 1))
    _project(alice, gone, date(2027, 3, 2))  # ended 25 months before: won back
    asked = _client(alice, "Asked")
    _project(alice, asked, date(2026, 5, 1), date(2026, 9, 1))
    CheckIn.objects.create(
        workspace=alice.workspace,
        kind="win_back",
        state="sent",
        client=asked,
        sent_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
    )
    _project(alice, asked, date(2027, 4, 15))  # after a win-back message: won back
    # Two projects of one new client in one month count one client.
    twice = _client(alice, "Twice")
    _project(alice, twice, date(2027, 4, 2))
    _project(alice, twice, date(2027, 4, 9))
    # Another workspace's clients never count.
    other = client_create(workspace=mallory.workspace, actor=mallory.user, name="Evil")
    Project.objects.create(
        workspace=mallory.workspace, client=other, title="x", start_date=date(2027, 3, 5)
    )
    with CaptureQueriesContext(connection) as queries:
        rows = pillars_by_month(
            workspace_id=alice.workspace.pk, start=date(2027, 2, 14), end=date(2027, 4, 30)
        )
    assert len(queries) == 3
    assert rows == [
        Pillars(month=date(2027, 2, 1), new=0, kept=0, won_back=0),
        Pillars(month=date(2027, 3, 1), new=1, kept=1, won_back=1),
        Pillars(month=date(2027, 4, 1), new=1, kept=0, won_back=1),
    ]
    assert (
        pillars_by_month(
            workspace_id=alice.workspace.pk, start=date(2027, 5, 1), end=date(2027, 4, 1)
        )
        == []
    )


def test_a_project_without_a_start_date_starts_the_day_it_was_written(
    alice: Persona, acme: Client, website: Project
) -> None:
    written = datetime(2027, 5, 31, 12, tzinfo=UTC)
    Project.objects.filter(pk=website.pk).update(start_date=None, created_at=written)
    month = date(2027, 5, 1)
    [row] = pillars_by_month(workspace_id=alice.workspace.pk, start=month, end=month)
    assert row == Pillars(month=month, new=1, kept=0, won_back=0)


@settings(max_examples=200, deadline=None)
@given(
    earlier=st.lists(
        st.tuples(
            st.dates(date(2020, 1, 1), date(2027, 1, 1)),
            st.none() | st.dates(date(2020, 1, 1), date(2027, 1, 1)),
        ),
        max_size=4,
    ),
    started=st.dates(date(2027, 1, 1), date(2028, 1, 1)),
)
def test_a_project_counts_in_one_pillar_at_most(
    earlier: list[tuple[date, date | None]], started: date
) -> None:
    pillar = _pillar(earlier, started, [])
    assert pillar in ("", "new", "kept", "won_back")
    assert (pillar == "new") == (not earlier)
    delivered = [e for _s, e in earlier if e is not None and e <= started]
    if earlier and not delivered:
        assert pillar == ""
