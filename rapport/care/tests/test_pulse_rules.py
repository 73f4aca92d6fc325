"""The pulse's arithmetic as properties (P23): the trend and the drop rule move one way only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.care.pulse.rules import (
    WINDOW,
    Direction,
    DropReason,
    average,
    pulse_drop,
    pulse_trend,
)

scores = st.integers(min_value=1, max_value=5)
histories = st.lists(scores, max_size=12)
ORDER = {Direction.DOWN: 0, Direction.STEADY: 1, Direction.UP: 2}


@given(histories, st.data())
def test_raising_any_score_never_lowers_an_average(history: list[int], data: st.DataObject) -> None:
    if not history:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(history) - 1))
    higher = list(history)
    higher[index] = data.draw(st.integers(min_value=history[index], max_value=5))
    before, after = pulse_trend(history), pulse_trend(higher)
    assert after.recent is not None and before.recent is not None
    assert after.recent >= before.recent
    if before.previous is not None:
        assert after.previous is not None and after.previous >= before.previous


@given(histories, scores, scores)
def test_a_higher_newest_answer_never_lowers_the_direction(
    history: list[int], low: int, high: int
) -> None:
    low, high = min(low, high), max(low, high)
    before, after = pulse_trend([*history, low]), pulse_trend([*history, high])
    assert (before.direction == Direction.UNKNOWN) == (after.direction == Direction.UNKNOWN)
    if before.direction != Direction.UNKNOWN:
        assert ORDER[after.direction] >= ORDER[before.direction]


@given(histories)
def test_averages_stay_in_range(history: list[int]) -> None:
    trend = pulse_trend(history)
    for value in (trend.recent, trend.previous):
        assert value is None or Decimal(1) <= value <= Decimal(5)
    if len(history) <= WINDOW:
        assert trend.previous is None and trend.direction == Direction.UNKNOWN


@given(histories, scores, scores)
def test_drop_rule_is_monotonic(history: list[int], low: int, high: int) -> None:
    """A lower new score never un-raises; a higher one never raises where a lower did not."""
    low, high = min(low, high), max(low, high)
    if pulse_drop(history=history, score=high) is not None:
        assert pulse_drop(history=history, score=low) is not None


@given(st.integers(min_value=3, max_value=5))
def test_empty_history_never_raises_for_three_or_more(score: int) -> None:
    assert pulse_drop(history=[], score=score) is None


@given(histories, st.integers(min_value=1, max_value=2))
def test_an_unhappy_face_always_raises(history: list[int], score: int) -> None:
    assert pulse_drop(history=history, score=score) == DropReason.LOW


def test_a_slide_from_great_to_okay_raises_as_falling() -> None:
    assert pulse_drop(history=[5, 5, 5, 4, 3], score=3) == DropReason.FALLING
    assert pulse_drop(history=[5, 5, 5, 5, 4], score=4) is None


def test_trend_reads_two_windows() -> None:
    trend = pulse_trend([2, 3, 2, 4, 5, 4])
    assert trend.previous == Decimal("2.3") and trend.recent == Decimal("4.3")
    assert trend.direction == Direction.UP
    assert pulse_trend([4, 4, 4, 4, 4, 3]).direction == Direction.STEADY
    assert average([]) is None


def test_scores_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError):
        pulse_trend([0, 3])
    with pytest.raises(ValueError):
        pulse_drop(history=[3], score=6)
