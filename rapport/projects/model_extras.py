"""A little more than was agreed, planned, delivered and told to the client once (P18)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


class Extra(TenantModel):
    """Something beyond the agreement for a project, with what it costs us (hours or money,
    never billed). Delivered, it goes into the next progress update ("We also …") and is
    marked reported so that no later update repeats it."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="extras")
    title = models.CharField(_("what we do beyond the agreement"), max_length=200)
    cost_hours = models.DecimalField(
        _("cost to us (hours)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    cost_amount = models.DecimalField(
        _("cost to us (money)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    reported_at = models.DateTimeField(_("told the client"), null=True, blank=True)
    reported_in = models.ForeignKey(
        "projects.ProjectUpdate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extras",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The next update asks for the delivered extras not told yet.
            models.Index(fields=["project", "reported_at", "delivered_at"], name="extra_unreported")
        ]

    def __str__(self) -> str:
        return self.title
