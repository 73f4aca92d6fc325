"""The relationship health of a client: its current score and its history (P37, P34).

``ClientHealth`` holds one row per scored client: the score, its band, the parts that explain
it, and ``health_due_at``, the moment it must be computed again. That moment is *now* when
something the score reads changed (the tick's ``scan_health_changes`` sets it from the
client's new timeline events), else the next moment the score would change by time alone (silence
crossing its next threshold, an invoice falling overdue, a request passing its target). The
partial index ``health_due`` holds only rows with a moment, so the tick reads the due rows
and nothing else (``care.health.scanner``). ``HealthPoint`` keeps one score per client and
day, for the trend.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


class ClientHealth(TenantModel):
    """A client's current health score (0-100), its band and its parts."""

    class Band(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        WATCH = "watch", _("Watch")
        AT_RISK = "at_risk", _("At risk")

    client = models.OneToOneField("clients.Client", on_delete=models.CASCADE, related_name="health")
    # None until the first computation (a row made by a mark, not yet scored).
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=16, choices=Band.choices, blank=True)
    # How many points the score lost over the last week (the history's point of 7 days
    # before; negative when it rose), so "falling fast" is one comparison.
    drop = models.SmallIntegerField(default=0)
    # What is at stake, in the client's currency: the budgets of its running projects and
    # what it owes on issued invoices; the at-risk list is ordered by it (docs/health.md).
    stake = models.DecimalField(default=0, max_digits=18, decimal_places=4)
    # The suggested next step from the worst signal: {"key": ..., "id": ...} (the problem,
    # the invoice, the request or the project the step's link opens).
    step = models.JSONField(default=dict, blank=True)
    # Each signal's contribution, as ``care.health.score.Part`` rows (JSON), in order.
    parts = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # When the client entered the at-risk band (None outside it): the key of its alert.
    at_risk_since = models.DateTimeField(null=True, blank=True)
    # The next moment to compute the score again (None: nothing will change it by time).
    health_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["health_due_at"],
                condition=models.Q(health_due_at__isnull=False),
                name="health_due",
            ),
            # The at-risk list and the distribution: a workspace's scored clients by band.
            models.Index(fields=["workspace", "band", "score"], name="health_ws_band"),
            models.Index(fields=["workspace", "-stake"], name="health_ws_stake"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="health_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"health {self.score} of client {self.client_id}"


class HealthPoint(TenantModel):
    """The client's score on one day (the last computation of that day), for the trend."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="health_points"
    )
    day = models.DateField()
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["client", "day"]
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="health_point_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.score}"


class HealthCursor(models.Model):
    """How far the tick has read the timeline for changes (the last event's id): each run
    reads only the events after it, through the primary key."""

    name = models.CharField(max_length=32, unique=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_id}"
