"""Staff sections of the pulse: the trend on the client and project pages (loaded after the
page, ADR 0014)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from rapport.accounts.access import StaffRequest, workspace_of
from rapport.care.pulse.rules import MAX_SCORE, MIN_SCORE
from rapport.care.pulse.selectors import PulseSummary, client_pulse, project_pulse
from rapport.clients.access import client_or_404
from rapport.core.sections import render_section
from rapport.projects.access import project_or_404

# The sparkline's box, in SVG units: small enough to sit beside the averages.
WIDTH, HEIGHT, PAD = 120, 32, 4


def sparkline_points(scores: list[int]) -> str:
    """The SVG polyline points of ``scores`` (oldest first): 5 at the top, 1 at the bottom."""
    if not scores:
        return ""
    step = (WIDTH - 2 * PAD) / max(len(scores) - 1, 1)
    span = HEIGHT - 2 * PAD
    points = []
    for index, score in enumerate(scores):
        x = PAD + index * step
        y = PAD + (MAX_SCORE - score) * span / (MAX_SCORE - MIN_SCORE)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


def _context(pulse: PulseSummary) -> dict[str, object]:
    scores = [a.score for a in pulse.oldest_first]
    points = sparkline_points(scores)
    # The latest answer is marked with a dot: with one answer it is all the line shows.
    last = points.rsplit(" ", 1)[-1].split(",") if points else []
    return {
        "pulse": pulse,
        "points": points,
        "last": last,
        "width": WIDTH,
        "height": HEIGHT,
    }


@require_GET
@login_required
def client_pulse_section(request: StaffRequest, client_pk: int) -> HttpResponse:
    """The client page's pulse card (one query)."""
    client = client_or_404(request, client_pk)
    pulse = client_pulse(workspace_id=workspace_of(request).pk, client_id=client.pk)
    return render_section(request, "care/_pulse.html", _context(pulse), back=client)


@require_GET
@login_required
def project_pulse_section(request: StaffRequest, project_pk: int) -> HttpResponse:
    """The project page's pulse card (one query)."""
    project = project_or_404(request, project_pk, progress=False)
    pulse = project_pulse(workspace_id=workspace_of(request).pk, project_id=project.pk)
    return render_section(request, "care/_pulse.html", _context(pulse), back=project)
