"""The health score's rules as properties (P37; docs/health.md): it stays within 0-100 and
each signal moves it only the right way."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.care.health import score as rules
from rapport.care.health.score import Figures, health_score, next_change

NOW = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
# The machine the suite runs on is shared: a slow draw or example is its load, not the rules'.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)

counts = st.integers(min_value=0, max_value=40)
answers = st.lists(st.integers(min_value=1, max_value=5), max_size=6)
silences = st.one_of(st.none(), st.integers(min_value=0, max_value=400))


@st.composite
def figures(draw: st.DrawFn) -> Figures:
    days = draw(silences)
    return Figures(
        kept=draw(counts),
        broken=draw(counts),
        on_time=draw(counts),
        late=draw(counts),
        pulse=draw(answers),
        survey=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10))),
        overdue_invoices=draw(counts),
        open_problems=draw(counts),
        last_contact=None if days is None else NOW - dt.timedelta(days=days),
    )


def score(f: Figures) -> int:
    return health_score(f, NOW).score


@relaxed
@given(figures())
def test_the_score_stays_within_0_and_100_and_its_parts_add_up(f: Figures) -> None:
    health = health_score(f, NOW)
    assert 0 <= health.score <= 100
    total = sum(p.points for p in health.parts)
    assert health.score == max(0, min(100, total))
    assert health.band == rules.band_of(health.score)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=10))
def test_more_broken_promises_never_raise_it(f: Figures, more: int) -> None:
    assert score(dataclasses.replace(f, broken=f.broken + more)) <= score(f)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=10))
def test_more_kept_promises_never_lower_it(f: Figures, more: int) -> None:
    assert score(dataclasses.replace(f, kept=f.kept + more)) >= score(f)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=10))
def test_more_late_answers_never_raise_it(f: Figures, more: int) -> None:
    assert score(dataclasses.replace(f, late=f.late + more)) <= score(f)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=5))
def test_more_overdue_invoices_never_raise_it(f: Figures, more: int) -> None:
    assert score(dataclasses.replace(f, overdue_invoices=f.overdue_invoices + more)) <= score(f)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=5))
def test_more_open_problems_never_raise_it(f: Figures, more: int) -> None:
    assert score(dataclasses.replace(f, open_problems=f.open_problems + more)) <= score(f)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=200))
def test_longer_silence_never_raises_it(f: Figures, days: int) -> None:
    if f.last_contact is None:
        return
    longer = dataclasses.replace(f, last_contact=f.last_contact - dt.timedelta(days=days))
    assert score(longer) <= score(f)


@relaxed
@given(figures(), st.integers(min_value=1, max_value=5))
def test_a_better_last_pulse_answer_never_lowers_it(f: Figures, better: int) -> None:
    if not f.pulse or f.pulse[-1] >= better:
        return
    improved = dataclasses.replace(f, pulse=[*f.pulse[:-1], better])
    assert score(improved) >= score(f)


@relaxed
@given(figures(), st.integers(min_value=0, max_value=10))
def test_a_better_survey_answer_never_lowers_it(f: Figures, answer: int) -> None:
    if f.survey is None or f.survey >= answer:
        return
    assert score(dataclasses.replace(f, survey=answer)) >= score(f)


@relaxed
@given(figures())
def test_a_signal_without_data_is_never_a_penalty(f: Figures) -> None:
    """Whatever the figures, no data at all for a signal scores at least as well as any data."""
    assert score(dataclasses.replace(f, kept=0, broken=0)) >= score(f)
    assert score(dataclasses.replace(f, on_time=0, late=0)) >= score(f)
    assert score(dataclasses.replace(f, pulse=[])) >= score(f)
    assert score(dataclasses.replace(f, survey=None)) >= score(f)
    assert score(dataclasses.replace(f, last_contact=None)) >= score(f)


def test_a_client_with_no_data_is_healthy_and_every_part_says_neutral() -> None:
    health = health_score(Figures(), NOW)
    assert health.score == 100 and health.band == rules.HEALTHY
    assert {p.key for p in health.parts if p.neutral} == {
        "keeping",
        "response",
        "mood",
        "survey",
        "silence",
    }
    assert health.worst is None


def test_the_parts_explain_the_score() -> None:
    f = Figures(kept=11, broken=1, overdue_invoices=2, last_contact=NOW - dt.timedelta(days=3))
    health = health_score(f, NOW)
    parts = {p.key: p for p in health.parts}
    assert parts["keeping"].points == 28 and parts["keeping"].args["rate"] == 92
    assert parts["invoices"].points == -30
    assert parts["silence"].points == 0
    assert health.score == 100 - 2 - 30
    assert health.worst is not None and health.worst.key == "invoices"


@relaxed
@given(figures())
def test_the_next_moment_is_in_the_future_and_within_the_refresh(f: Figures) -> None:
    moment = next_change(f, NOW)
    assert NOW < moment <= NOW + rules.REFRESH


def test_the_next_moment_is_when_silence_crosses_its_next_step() -> None:
    f = Figures(last_contact=NOW - dt.timedelta(days=10))
    assert next_change(f, NOW) == NOW + dt.timedelta(days=4)
    # One second later the score has the silence penalty.
    assert health_score(f, NOW + dt.timedelta(days=4)).score == 100 - 10
    assert health_score(f, NOW + dt.timedelta(days=4) - dt.timedelta(seconds=1)).score == 100


def test_the_next_moment_is_when_an_invoice_falls_overdue() -> None:
    f = Figures(next_invoice_due=NOW.date() + dt.timedelta(days=2))
    assert next_change(f, NOW) == dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
