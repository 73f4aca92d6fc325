"""The arithmetic of relationship health (P37, P34; docs/health.md, ADR 0038).

Pure functions of a client's figures (``Figures``): nothing here reads the database, the
clock or the language, so the rules are tested as properties (``tests/test_health_score.py``).

The score is built from named signals, each with its contribution kept (``Part``), so the
card can say why a client scores what it does:

- four **quality** signals earn points up to their weight: promise keeping, requests answered
  within the response target, the pulse (mood), and the last survey answer. A signal with no
  data earns its whole weight: it is *neutral* (nothing known against the client), never a
  penalty. The four weights add up to 100.
- three **penalties** take points off: overdue invoices, open problems, and silence since the
  last message either way. A falling pulse takes a few more.

The score is the points earned minus the penalties, kept within 0-100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rapport.care.pulse.rules import MAX_SCORE, MIN_SCORE, Direction, pulse_trend

# Weights of the quality signals (points earned at best; the four add up to 100).
KEEPING_WEIGHT = 30
RESPONSE_WEIGHT = 25
MOOD_WEIGHT = 30
SURVEY_WEIGHT = 15
# Penalties: per overdue invoice and per open problem, each with a ceiling.
INVOICE_PENALTY, INVOICE_MAX = 15, 45
PROBLEM_PENALTY, PROBLEM_MAX = 8, 24
# A falling pulse (the recent answers a point or more below the ones before).
MOOD_FALLING_PENALTY = 5
# Silence: (days since the last message either way, points off), ascending.
SILENCE_STEPS: tuple[tuple[int, int], ...] = ((14, 10), (30, 20), (60, 35))
# The survey's recommendation question is answered 0-10 (care.surveys); the last answer of
# the last SURVEY_DAYS counts.
SURVEY_DAYS = 365
SURVEY_MAX = 10
# The window of promises and requests the rates count (days).
WINDOW_DAYS = 90

# Bands: at or above HEALTHY_FROM is healthy, at or above WATCH_FROM is watch, below is at risk.
HEALTHY_FROM = 75
WATCH_FROM = 55
# A client whose score fell this much or more in a week is listed as at risk too.
FAST_DROP = 15
# The longest a score waits without a computation: the windows slide as days pass.
REFRESH = timedelta(days=7)

HEALTHY, WATCH, AT_RISK = "healthy", "watch", "at_risk"

# The order the card lists the parts in (and ties are broken in, for the worst signal).
KEYS = ("keeping", "response", "mood", "mood_falling", "survey", "invoices", "problems", "silence")


@dataclass(frozen=True)
class Figures:
    """What the score reads of one client (``care.health.selectors.health_figures``)."""

    kept: int = 0
    broken: int = 0
    """Promises resolved within the window: kept, and missed, moved or cancelled unagreed."""
    on_time: int = 0
    late: int = 0
    """Requests received within the window: answered within the target, and answered after it
    or still unanswered past it. Unanswered ones within their target count as neither."""
    pulse: Sequence[int] = ()
    """The latest pulse answers (1-5), oldest first."""
    survey: int | None = None
    """The last survey answer of the year (0-10, how likely to recommend us); None without."""
    overdue_invoices: int = 0
    open_problems: int = 0
    last_contact: datetime | None = None
    """The last message either way (a request, a pulse answer, a message sent to a contact)."""
    # For the time-based moment of the next computation.
    next_invoice_due: date | None = None
    """The earliest due date of the issued invoices not yet overdue."""
    next_request_eta: datetime | None = None
    """The earliest target of the unanswered requests not yet past it."""


@dataclass(frozen=True)
class Part:
    """One signal's contribution: ``points`` (negative for a penalty) of ``weight`` (None for a
    penalty), ``neutral`` when the signal had no data, and the figures its sentence shows."""

    key: str
    points: int
    weight: int | None = None
    neutral: bool = False
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def loss(self) -> int:
        """Points this signal costs the client: what it did not earn, or its penalty."""
        return (self.weight - self.points) if self.weight is not None else -self.points

    def stored(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "points": self.points,
            "weight": self.weight,
            "neutral": self.neutral,
            "args": self.args,
        }

    @classmethod
    def from_stored(cls, row: dict[str, Any]) -> Part:
        return cls(
            key=str(row.get("key", "")),
            points=int(row.get("points", 0)),
            weight=row.get("weight"),
            neutral=bool(row.get("neutral", False)),
            args=dict(row.get("args") or {}),
        )


@dataclass(frozen=True)
class Health:
    score: int
    band: str
    parts: list[Part]

    @property
    def worst(self) -> Part | None:
        """The signal that costs the most (None when nothing costs anything)."""
        costly = [p for p in self.parts if p.loss > 0]
        return max(costly, key=lambda p: (p.loss, -KEYS.index(p.key))) if costly else None


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _share(weight: int, good: int, bad: int) -> int:
    return _round(Decimal(weight) * good / (good + bad))


def keeping_part(kept: int, broken: int) -> Part:
    if kept + broken == 0:
        return Part("keeping", KEEPING_WEIGHT, KEEPING_WEIGHT, neutral=True)
    rate = _round(Decimal(100) * kept / (kept + broken))
    points = _share(KEEPING_WEIGHT, kept, broken)
    return Part(
        "keeping", points, KEEPING_WEIGHT, args={"rate": rate, "kept": kept, "broken": broken}
    )


def response_part(on_time: int, late: int) -> Part:
    if on_time + late == 0:
        return Part("response", RESPONSE_WEIGHT, RESPONSE_WEIGHT, neutral=True)
    points = _share(RESPONSE_WEIGHT, on_time, late)
    return Part(
        "response", points, RESPONSE_WEIGHT, args={"on_time": on_time, "total": on_time + late}
    )


def mood_parts(pulse: Sequence[int]) -> list[Part]:
    """The mood from the recent average and the last answer (half each), and a penalty when
    the pulse is falling."""
    if not pulse:
        return [Part("mood", MOOD_WEIGHT, MOOD_WEIGHT, neutral=True)]
    trend = pulse_trend(list(pulse))
    recent = trend.recent if trend.recent is not None else Decimal(pulse[-1])
    level = (recent + pulse[-1]) / 2
    points = _round(Decimal(MOOD_WEIGHT) * (level - MIN_SCORE) / (MAX_SCORE - MIN_SCORE))
    parts = [Part("mood", points, MOOD_WEIGHT, args={"recent": str(recent), "last": pulse[-1]})]
    if trend.direction == Direction.DOWN:
        parts.append(
            Part(
                "mood_falling",
                -MOOD_FALLING_PENALTY,
                args={"previous": str(trend.previous), "recent": str(recent)},
            )
        )
    return parts


def survey_part(survey: int | None) -> Part:
    if survey is None:
        return Part("survey", SURVEY_WEIGHT, SURVEY_WEIGHT, neutral=True)
    value = max(0, min(SURVEY_MAX, survey))
    points = _round(Decimal(SURVEY_WEIGHT) * value / SURVEY_MAX)
    return Part("survey", points, SURVEY_WEIGHT, args={"answer": value})


def invoices_part(count: int) -> Part:
    return Part("invoices", -min(INVOICE_MAX, INVOICE_PENALTY * count), args={"count": count})


def problems_part(count: int) -> Part:
    return Part("problems", -min(PROBLEM_MAX, PROBLEM_PENALTY * count), args={"count": count})


def silence_days(last_contact: datetime | None, now: datetime) -> int | None:
    if last_contact is None:
        return None
    return max(0, (now - last_contact).days)


def silence_part(last_contact: datetime | None, now: datetime) -> Part:
    days = silence_days(last_contact, now)
    if days is None:
        return Part("silence", 0, neutral=True)
    penalty = 0
    for threshold, points in SILENCE_STEPS:
        if days >= threshold:
            penalty = points
    return Part("silence", -penalty, args={"days": days})


def band_of(score: int) -> str:
    if score >= HEALTHY_FROM:
        return HEALTHY
    if score >= WATCH_FROM:
        return WATCH
    return AT_RISK


def health_score(figures: Figures, now: datetime) -> Health:
    """The score of ``figures`` at ``now``, its band and its parts (in ``KEYS`` order)."""
    parts = [
        keeping_part(figures.kept, figures.broken),
        response_part(figures.on_time, figures.late),
        *mood_parts(figures.pulse),
        survey_part(figures.survey),
        invoices_part(figures.overdue_invoices),
        problems_part(figures.open_problems),
        silence_part(figures.last_contact, now),
    ]
    score = max(0, min(100, sum(p.points for p in parts)))
    return Health(score=score, band=band_of(score), parts=parts)


def start_of_day_after(day: date, tzinfo: Any) -> datetime:
    """The moment an invoice due on ``day`` becomes overdue: the start of the next day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tzinfo)


def next_change(figures: Figures, now: datetime) -> datetime:
    """The next moment the score would change by time alone: silence crossing its next step,
    an invoice falling overdue, a request passing its target; at the latest ``REFRESH`` from
    now (the windows slide)."""
    moments = [now + REFRESH]
    if figures.last_contact is not None:
        for threshold, _points in SILENCE_STEPS:
            crossing = figures.last_contact + timedelta(days=threshold)
            if crossing > now:
                moments.append(crossing)
                break
    if figures.next_invoice_due is not None:
        moments.append(start_of_day_after(figures.next_invoice_due, now.tzinfo))
    if figures.next_request_eta is not None and figures.next_request_eta > now:
        moments.append(figures.next_request_eta)
    return min(m for m in moments if m > now) if any(m > now for m in moments) else now + REFRESH
