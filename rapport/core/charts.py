"""Charts drawn on the server as SVG, each with the table of its figures (ADR 0039).

A chart is data (``Chart``: a caption, the category labels, one or more series) turned into
geometry here (``chart_layout``: bars, points, axis ticks, in the SVG's own units) and drawn by
one template (``core/_chart.html``, through the ``{% chart %}`` tag of
``core.templatetags.charts``).
No script runs in the browser: the page is complete as it arrives, prints, passes the content
security policy, and a screen reader reads the table beside the drawing, which shows the same
figures in the reader's language and number format.

Pure functions of numbers: nothing here reads the database, the clock or the language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Number = int | float | Decimal

# The drawing's box in SVG units; the SVG scales to the width of its card.
WIDTH = 640
HEIGHT = 240
LEFT = 48  # room for the value axis's labels
RIGHT = 12
TOP = 12
BOTTOM = 28  # room for the category labels
# Up to four series, told apart by the stylesheet (``.chart-s0`` …) and by the legend.
MAX_SERIES = 4
# More categories than this and only every n-th one is labelled under the axis (all are in
# the table).
MAX_LABELS = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


@dataclass(frozen=True)
class Chart:
    """What to draw. ``values`` of each series line up with ``labels``; None is a gap (no
    data that month), not a zero. ``reference`` draws a dashed horizontal line (a target)."""

    caption: str
    labels: Sequence[str]
    series: Sequence[Series]
    kind: Literal["bar", "line"] = "bar"
    unit: str = ""
    # Decimals shown for the figures (axis and table), in the reader's number format.
    digits: int = 0
    reference: Number | None = None
    reference_label: str = ""
    # The value axis's range; by default from 0 (or the lowest negative value) to a round
    # number above the highest value.
    low: Number | None = None
    high: Number | None = None
    # Shorter names under the axis ("Jan" where the table says "Jan 2026"); by default the
    # labels themselves.
    axis_labels: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if not 1 <= len(self.series) <= MAX_SERIES:
            raise ValueError(f"a chart has 1 to {MAX_SERIES} series")
        if self.axis_labels is not None and len(self.axis_labels) != len(self.labels):
            raise ValueError("the axis labels do not match the labels")
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(f"series {series.name!r} does not match the labels")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    value: Number


@dataclass(frozen=True)
class Tick:
    y: float
    value: float


@dataclass(frozen=True)
class Mark:
    x: float
    text: str


@dataclass(frozen=True)
class Line:
    series: int
    # Runs of consecutive points: a gap (None) ends a run rather than drawing through it.
    runs: tuple[str, ...]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Layout:
    chart: Chart
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM
    zero: float = HEIGHT - BOTTOM
    bars: tuple[Bar, ...] = ()
    lines: tuple[Line, ...] = ()
    ticks: tuple[Tick, ...] = ()
    marks: tuple[Mark, ...] = ()
    reference_y: float | None = None
    empty: bool = True
    rows: tuple[tuple[str, tuple[Number | None, ...]], ...] = field(default=())


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) dividing ``span`` into about
    ``count`` parts."""
    raw = span / count
    # A span so small that a part of it underflows to 0 (a subnormal value such as 5e-324):
    # no round step divides it, and the axis runs 0 to 1 instead.
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def axis_range(
    values: Sequence[float], low: float | None, high: float | None, *, min_step: float = 0
) -> tuple[float, float, float]:
    """(low, high, step): the value axis from 0 (or below the lowest negative value) to a
    round number at or above the highest value. ``min_step``: the smallest step worth a tick
    (1 for whole numbers, so a count of 2 is not marked 0, 0.5, 1, 1.5, 2)."""
    top = max([*values, 0.0]) if high is None else float(high)
    bottom = min([*values, 0.0]) if low is None else float(low)
    if top <= bottom:
        top = bottom + 1
    step = max(nice_step(top - bottom), min_step)
    if high is None:
        top = math.ceil(top / step) * step
    if low is None:
        bottom = math.floor(bottom / step) * step
    return bottom, top, step


def chart_layout(chart: Chart) -> Layout:
    """The geometry of ``chart``: every mark's position in the SVG's units."""
    present = [float(v) for s in chart.series for v in s.values if v is not None]
    if chart.reference is not None:
        present.append(float(chart.reference))
    rows = tuple(
        (label, tuple(s.values[i] for s in chart.series)) for i, label in enumerate(chart.labels)
    )
    base = Layout(chart=chart, rows=rows)
    if not chart.labels or not any(v is not None for s in chart.series for v in s.values):
        return base
    low, high, step = axis_range(
        present,
        None if chart.low is None else float(chart.low),
        None if chart.high is None else float(chart.high),
        # Figures shown without decimals get ticks at whole numbers only.
        min_step=1 if chart.digits == 0 else 0,
    )

    def y_of(value: float) -> float:
        return base.bottom - (value - low) / (high - low) * (base.bottom - base.top)

    ticks: list[Tick] = []
    value = low
    while value <= high + step / 1000:
        ticks.append(Tick(y=round(y_of(value), 1), value=round(value, 6)))
        value += step
    slot = (base.right - base.left) / len(chart.labels)
    every = math.ceil(len(chart.labels) / MAX_LABELS)
    marks = tuple(
        Mark(x=round(base.left + slot * (i + 0.5), 1), text=label)
        for i, label in enumerate(chart.axis_labels or chart.labels)
        if i % every == 0
    )
    zero = y_of(min(max(0.0, low), high))
    bars: list[Bar] = []
    lines: list[Line] = []
    if chart.kind == "bar":
        count = len(chart.series)
        inner = slot * 0.8
        width = inner / count
        for i, label in enumerate(chart.labels):
            for n, series in enumerate(chart.series):
                raw = series.values[i]
                if raw is None:
                    continue
                y = y_of(float(raw))
                bars.append(
                    Bar(
                        x=round(base.left + slot * i + slot * 0.1 + width * n, 1),
                        y=round(min(y, zero), 1),
                        width=round(max(width - 1, 1), 1),
                        height=round(abs(zero - y), 1),
                        series=n,
                        label=label,
                        value=raw,
                    )
                )
    else:
        for n, series in enumerate(chart.series):
            runs: list[str] = []
            points: list[tuple[float, float]] = []
            current: list[str] = []
            for i, raw in enumerate(series.values):
                if raw is None:
                    if current:
                        runs.append(" ".join(current))
                    current = []
                    continue
                point = (round(base.left + slot * (i + 0.5), 1), round(y_of(float(raw)), 1))
                points.append(point)
                current.append(f"{point[0]},{point[1]}")
            if current:
                runs.append(" ".join(current))
            lines.append(Line(series=n, runs=tuple(runs), points=tuple(points)))
    reference_y = None if chart.reference is None else round(y_of(float(chart.reference)), 1)
    return Layout(
        chart=chart,
        zero=round(zero, 1),
        bars=tuple(bars),
        lines=tuple(lines),
        ticks=tuple(ticks),
        marks=marks,
        reference_y=reference_y,
        empty=False,
        rows=rows,
    )
