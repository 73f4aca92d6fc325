"""The arithmetic of the pulse: the trend of a run of answers and the rule that says the
client may be upset. Pure functions of scores (1..5, oldest first), so they are tested as
properties (``tests/test_pulse_rules.py``) and read the same wherever they are called.

The trend compares two windows: the ``WINDOW`` latest answers ("recent") and the ``WINDOW``
before them ("previous"). The drop rule (ADR 0033) raises when

- the new answer is ``LOW`` or less (😞 or 😕): one unhappy face is worth a call; or
- the recent average, the new answer included, is ``FALL`` or more below the previous one:
  a client sliding from 😀 to 😐 says nothing alarming in any single answer.

Both parts can only get truer as the new score gets lower, so a lower answer never un-raises
and a higher one never raises where a lower one did not; an empty history never raises for a
score of 3 or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

WINDOW = 3
LOW = 2
FALL = Decimal(1)
# A difference below this between the windows is "steady": one face up or down in three
# answers (a third of a point) is noise, not a direction.
STEADY = Decimal("0.5")
MIN_SCORE, MAX_SCORE = 1, 5


class Direction(StrEnum):
    UP = "up"
    STEADY = "steady"
    DOWN = "down"
    # Fewer answers than two windows can compare.
    UNKNOWN = ""


class DropReason(StrEnum):
    LOW = "low"
    FALLING = "falling"


@dataclass(frozen=True, slots=True)
class Trend:
    recent: Decimal | None
    """Average of the last ``WINDOW`` answers (None: no answer)."""
    previous: Decimal | None
    """Average of the ``WINDOW`` answers before those (None: none)."""
    direction: Direction


def average(scores: Sequence[int]) -> Decimal | None:
    """The mean to one decimal (exact halves round up); None for no scores."""
    if not scores:
        return None
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _check(scores: Sequence[int]) -> None:
    if any(not MIN_SCORE <= score <= MAX_SCORE for score in scores):
        raise ValueError(f"scores must be {MIN_SCORE}..{MAX_SCORE}: {list(scores)}")


def pulse_trend(scores: Sequence[int]) -> Trend:
    """The trend of ``scores`` (oldest first): the two windows' averages and the direction
    from the previous to the recent one."""
    _check(scores)
    recent_scores = list(scores[-WINDOW:])
    previous_scores = list(scores[-2 * WINDOW : -WINDOW]) if len(scores) > WINDOW else []
    recent, previous = average(recent_scores), average(previous_scores)
    if recent is None or previous is None:
        direction = Direction.UNKNOWN
    elif recent - previous >= STEADY:
        direction = Direction.UP
    elif previous - recent >= STEADY:
        direction = Direction.DOWN
    else:
        direction = Direction.STEADY
    return Trend(recent=recent, previous=previous, direction=direction)


def pulse_drop(*, history: Sequence[int], score: int) -> DropReason | None:
    """Why the answer ``score``, after ``history`` (the client's earlier answers, oldest
    first), should raise the client-upset alert; None if it should not."""
    _check([*history, score])
    if score <= LOW:
        return DropReason.LOW
    trend = pulse_trend([*history, score])
    if (
        trend.previous is not None
        and trend.recent is not None
        and trend.previous - trend.recent >= FALL
    ):
        return DropReason.FALLING
    return None
