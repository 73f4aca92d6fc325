"""The decisions log of a project (P36, P19): what we recommended and why, the options, what
the client chose and why, who decided, how and when. Imported by ``care.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel
from rapport.core.texts import system_text


class Decision(TenantModel):
    """One entry of a project's decisions log.

    A recommendation is recorded by the provider, either still ``open`` (the client decides in
    the portal) or already ``decided`` (on a call or in a meeting). Problems and change
    requests record their entry themselves when the client decides them, pointing back at
    the problem or the change request (ADR 0029), so the log is complete without typing.
    """

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        PROBLEM = "problem", _("Problem")
        CHANGE = "change", _("Change request")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the client's decision")
        DECIDED = "decided", _("Decision taken")

    class Via(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        SIGNATURE = "signature", _("By signing")
        CALL = "call", _("On a call")
        MEETING = "meeting", _("In a meeting")
        EMAIL = "email", _("By email")
        MESSAGE = "message", _("By message")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="decisions")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="decisions"
    )
    milestone = models.ForeignKey(
        "projects.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    title = models.CharField(_("title"), max_length=200)
    # What we recommended and why (P36: for them, not for our portfolio; a "no" with reasons).
    recommendation = models.TextField(_("our recommendation"))
    currency = models.CharField(_("currency"), max_length=3)
    chosen = models.OneToOneField(
        "care.DecisionOption",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why the client chose it, in their words or as told on the call.
    reason = models.TextField(_("why"), blank=True)
    decided_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_via = models.CharField(_("how"), max_length=16, choices=Via.choices, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The decision points at what it settled: ChangeRequest lives below care and cannot point
    # up at it (ADR 0013, 0029); one decision per problem or change request.
    problem = models.OneToOneField(
        "care.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="decision"
    )
    change_request = models.OneToOneField(
        "projects.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "project", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class DecisionOption(models.Model):
    """One option on the table, with its cost and date when they matter. For a problem the
    rows copy its alternatives when the client chooses (ADR 0029); for a change request the
    two options are system texts (``label_ref``) shown in the reader's language."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("option"), max_length=300)
    label_ref = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cost = models.DecimalField(_("cost"), null=True, blank=True, max_digits=18, decimal_places=4)
    due_date = models.DateField(_("date"), null=True, blank=True)
    recommended = models.BooleanField(_("what we recommend"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.shown_label

    @property
    def shown_label(self) -> str:
        """The label in the reader's language when the system wrote it, else as typed."""
        return system_text(self.label_ref, self.label) if self.label_ref else self.label
