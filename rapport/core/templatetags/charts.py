"""``{% chart spec %}``: a server-drawn SVG chart and the table of its figures (ADR 0039)."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.core.charts import Chart, chart_layout

register = template.Library()


@register.inclusion_tag("core/_chart.html")
def chart(spec: Chart, chart_id: str) -> dict[str, Any]:
    """Draw ``spec``; ``chart_id`` names the figure (unique on the page) for its caption."""
    return {"layout": chart_layout(spec), "chart": spec, "chart_id": chart_id}
