"""Server-drawn charts (ADR 0039): the geometry stays in its box, gaps stay gaps, and the
drawing's coordinates are never written in the reader's number format."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from rapport.core.charts import HEIGHT, WIDTH, Chart, Series, axis_range, chart_layout, nice_step


@pytest.mark.parametrize(
    ("span", "step"), [(10, 2.5), (100, 25), (7, 2), (0.9, 0.25), (4200, 2000), (1, 0.25)]
)
def test_steps_are_round(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)


def test_axis_starts_at_zero_and_ends_on_a_step() -> None:
    assert axis_range([3, 17, 9], None, None) == (0, 20, 5)
    assert axis_range([-30, 40], None, None) == (-40, 40, 20)
    assert axis_range([], None, None) == (0, 1, 0.25)
    # A fixed range (a score out of 100) is kept as given.
    assert axis_range([12, 97], 0, 100) == (0, 100, 25)


def test_bars_sit_on_zero_and_gaps_draw_nothing() -> None:
    chart = Chart(
        caption="Revenue",
        labels=["Jan", "Feb", "Mar"],
        series=[Series("Paid", [Decimal("1200.50"), None, 300])],
    )
    layout = chart_layout(chart)
    assert [b.label for b in layout.bars] == ["Jan", "Mar"]
    jan, mar = layout.bars
    assert jan.y + jan.height == pytest.approx(layout.zero)
    assert jan.height > mar.height > 0
    assert layout.rows[1] == ("Feb", (None,))


def test_a_line_breaks_at_a_gap() -> None:
    chart = Chart(
        caption="Health",
        labels=["1", "2", "3", "4", "5"],
        series=[Series("Score", [50, 60, None, 70, 80])],
        kind="line",
        low=0,
        high=100,
    )
    (line,) = chart_layout(chart).lines
    assert len(line.runs) == 2 and len(line.points) == 4


def test_a_vanishing_span_gets_a_unit_axis() -> None:
    assert nice_step(5e-324) == 1.0
    assert axis_range([5e-324], None, None) == (0, 1, 1.0)


def test_whole_numbers_get_whole_ticks_and_short_axis_labels() -> None:
    chart = Chart(
        caption="Clients",
        labels=["Jan 2026", "Feb 2026", "Mar 2026"],
        axis_labels=["Jan", "Feb", "Mar"],
        series=[Series("New", [2, 0, 1])],
    )
    layout = chart_layout(chart)
    assert [t.value for t in layout.ticks] == [0, 1, 2]
    assert [m.text for m in layout.marks] == ["Jan", "Feb", "Mar"]
    assert [label for label, _values in layout.rows] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    # Decimals keep the finer steps.
    decimals = Chart(caption="h", labels=["a"], series=[Series("s", [2])], digits=1)
    assert [t.value for t in chart_layout(decimals).ticks] == [0, 0.5, 1, 1.5, 2]
    with pytest.raises(ValueError, match="axis labels"):
        Chart(caption="x", labels=["a", "b"], axis_labels=["a"], series=[Series("s", [1, 2])])


def test_no_figures_is_said_not_drawn() -> None:
    layout = chart_layout(Chart(caption="NPS", labels=["Jan"], series=[Series("NPS", [None])]))
    assert layout.empty and not layout.bars


def test_series_must_match_the_labels() -> None:
    with pytest.raises(ValueError, match="does not match"):
        Chart(caption="x", labels=["a", "b"], series=[Series("s", [1])])
    with pytest.raises(ValueError, match="1 to 4 series"):
        Chart(caption="x", labels=["a"], series=[])


@given(
    st.lists(
        st.one_of(st.none(), st.integers(-10_000, 10_000), st.floats(-1e6, 1e6)),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["bar", "line"]),
)
# The smallest float: a quarter of it is 0, whose logarithm fails unless caught.
@example([5e-324], "bar")
@example([-5e-324, None], "line")
def test_every_mark_is_inside_the_drawing(
    values: list[float | None], kind: Literal["bar", "line"]
) -> None:
    chart = Chart(
        caption="c",
        labels=[str(i) for i in range(len(values))],
        series=[Series("s", values)],
        kind=kind,
    )
    layout = chart_layout(chart)
    for bar in layout.bars:
        assert bar.x >= 0 and bar.x + bar.width <= WIDTH
        assert layout.top - 0.1 <= bar.y and bar.y + bar.height <= layout.bottom + 0.1
    for line in layout.lines:
        for x, y in line.points:
            assert 0 <= x <= WIDTH and layout.top - 0.1 <= y <= layout.bottom + 0.1
    assert len(layout.marks) <= 12
    assert all(0 <= t.y <= HEIGHT for t in layout.ticks)


def test_drawing_in_greek_keeps_coordinates_and_localises_figures() -> None:
    chart = Chart(
        caption="Χρόνος απάντησης",
        labels=["Ιαν", "Φεβ"],
        series=[Series("Ώρες", [Decimal("2.5"), Decimal("1234.5")])],
        digits=1,
        reference=4,
        reference_label="Στόχος",
    )
    with translation.override("el"):
        html = Template("{% load charts %}{% chart spec 'rt' %}").render(Context({"spec": chart}))
    # Coordinates are plain numbers whatever the language; figures read as Greek writes them.
    for attribute in re.findall(r' (?:x|y|x1|x2|y1|y2|width|height|cx|cy)="([^"]*)"', html):
        assert re.fullmatch(r"-?\d+(\.\d+)?", attribute), attribute
    assert "1.234,5" in html and "2,5" in html
    assert 'aria-labelledby="rt-cap"' in html and "<table" in html and "Στόχος" in html
