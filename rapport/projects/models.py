"""Projects, milestones and deliverables (P06, P12, P13, P15)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rapport.core.models import ArchivableModel, TenantModel


class Project(ArchivableModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")

    class Cadence(models.TextChoices):
        NONE = "none", _("No regular updates")
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="projects",
        verbose_name=_("client"),
    )
    title = models.CharField(_("title"), max_length=200)
    # P05: what the client wants to achieve, not only what they want to see.
    goal = models.TextField(_("goal"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # P03: spread evenly over the project's weeks for the capacity check.
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    # P06: what is explicitly not part of the work.
    out_of_scope = models.TextField(_("out of scope"), blank=True)
    # P12: the progress-update cadence agreed with the client.
    update_cadence = models.CharField(
        _("update cadence"), max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    update_weekday = models.PositiveSmallIntegerField(
        _("update day"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    # When the work was handed over: set as the status becomes delivered (or closed straight
    # from the work), cleared if the project goes back to work. What follows delivery (the
    # thank-you and survey, check-ins; P30, P34) is counted from it.
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=Decimal("0")),
                name="project_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(due_date__isnull=True)
                | models.Q(due_date__gte=models.F("start_date")),
                name="project_due_after_start",
            ),
        ]
        indexes = [
            # The projects list: newest first, one page at a time.
            models.Index(
                fields=["workspace", "-created_at", "-id"],
                condition=models.Q(archived_at__isnull=True),
                name="project_ws_recent",
            ),
            models.Index(fields=["workspace", "archived_at", "status"], name="project_ws_status"),
            models.Index(fields=["client", "archived_at"], name="project_client"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The project's staff page."""
        return reverse("projects:detail", args=[self.pk])


class Milestone(ArchivableModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    # P16: the milestone's own window starts here; without it, at the previous milestone's due
    # date (or the project's start for the first one).
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # P16: the remaining effort is this estimate times the share not yet done.
    estimate_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    owner = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    # P16: the moment this milestone becomes at risk if nothing changes (forecast when it or
    # its owner's load changes, see projects.risk); the tick reads only rows whose moment has
    # come. Null: never at risk as things stand.
    risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The remaining estimated hours of the owner's open milestones due before this one, as of
    # that forecast (kept with it, so the tick needs no sum over the owner's milestones).
    earlier_hours = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal(0), editable=False
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="milestone_progress_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(start_date__lte=models.F("due_date")),
                name="milestone_start_before_due",
            ),
        ]
        indexes = [
            # Serves "due in the next N days, not done" for a workspace (dashboard, API filter).
            models.Index(
                fields=["workspace", "due_date", "id"],
                condition=models.Q(archived_at__isnull=True) & ~models.Q(status="done"),
                name="milestone_open_due",
            ),
            # The milestone lists in due-date order (API, with or without a date range): the
            # current ones, and the archived ones, each read in order from its own index.
            models.Index(
                fields=["workspace", "due_date", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="milestone_ws_due",
            ),
            models.Index(
                fields=["workspace", "due_date", "id"],
                condition=models.Q(archived_at__isnull=False),
                name="milestone_ws_due_archived",
            ),
            models.Index(fields=["project", "due_date"], name="milestone_project_due"),
            # The delay-risk scan: only milestones with a forecast moment, soonest first.
            models.Index(
                fields=["risk_at", "id"],
                condition=models.Q(risk_at__isnull=False),
                name="milestone_risk_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Any, values: Any, *, fetch_mode: Any = None
    ) -> Milestone:
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        # Who owned it when read: a change of owner lightens the former owner's load (P16).
        instance.owner_at_load = instance.__dict__.get("owner_id")
        return instance

    owner_at_load: int | None = None


class Deliverable(ArchivableModel):
    """Something handed to the client, with an explicit spec and format (P06)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        ACCEPTED = "accepted", _("Accepted")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("milestone"),
    )
    title = models.CharField(_("title"), max_length=200)
    spec = models.TextField(_("specification"))
    format = models.CharField(_("format"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # P08: rounds of revision included in the price; after them a round is billable, at the
    # hourly rate, once the client has accepted it. Set from the accepted quote's policy.
    revision_free_rounds = models.PositiveSmallIntegerField(_("free revision rounds"), default=2)
    revision_hourly_rate = models.DecimalField(
        _("hourly rate for further rounds"), max_digits=18, decimal_places=4, default=0
    )
    # P06, P08: when it was last handed over for review, and the client's approval.
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["milestone", "archived_at"], name="deliverable_milestone")]

    def __str__(self) -> str:
        return self.title


class ProjectUpdate(ArchivableModel):
    """A progress update sent to the client (P12), also shown in the portal."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("update"))
    no_big_news = models.BooleanField(default=False)
    sent_at = models.DateTimeField(_("sent"))
    contacts = models.ManyToManyField(
        "clients.Contact", related_name="updates_received", blank=True
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["project", "-sent_at"], name="update_project_recent")]

    def __str__(self) -> str:
        return f"update {self.sent_at:%Y-%m-%d} on {self.project_id}"


class ChangeRequest(TenantModel):
    """A change to the agreed work, in writing, with its price and date impact (P19)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AWAITING_SIGNATURE = "awaiting_signature", _("Waiting for the client's signature")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RaisedBy(models.TextChoices):
        CLIENT = "client", _("Client")
        PROVIDER = "provider", _("Provider")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="change_requests"
    )
    raised_by = models.CharField(max_length=16, choices=RaisedBy.choices)
    raised_by_contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Turned from a client request (P14 -> P19).
    request = models.OneToOneField(
        "conversations.Request",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_request",
    )
    title = models.CharField(_("change"), max_length=200)
    description = models.TextField(_("what changes"))
    # Positive adds to the price, negative takes off; in the project's currency.
    price_impact = models.DecimalField(
        _("price impact"), max_digits=18, decimal_places=4, default=0
    )
    # Working days the affected milestone (and those after it) move; may be 0.
    days_impact = models.IntegerField(_("date impact (days)"), default=0)
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
        verbose_name=_("affected milestone"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.PROPOSED
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reject_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status"], name="change_project_status")]

    def __str__(self) -> str:
        return self.title


class RevisionRound(TenantModel):
    """One round of changes to a deliverable; past the free rounds it is billable (P08)."""

    class Status(models.TextChoices):
        AWAITING_CLIENT = "awaiting_client", _("Waiting for the client to accept the cost")
        OPEN = "open", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined by the client")

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="revision_rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    description = models.TextField(_("what to change"))
    billable = models.BooleanField(_("billable"), default=False)
    estimate_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(
        _("hours spent"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.OPEN
    )
    requested_by_contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_accepted_at = models.DateTimeField(null=True, blank=True)
    client_accepted_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deliverable", "number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="revision_round_number")
        ]


class KickoffItem(TenantModel):
    """One step of the provider's kickoff checklist, written when work may start (P11)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kickoff_items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("step"), max_length=300)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]


# Models kept in modules of their own (this one would pass 400 lines); imported here so that
# Django registers them with the app.
from rapport.projects.model_attachments import (  # noqa: E402
    DeliverableAttachment as DeliverableAttachment,
)
from rapport.projects.model_extras import Extra as Extra  # noqa: E402
from rapport.projects.model_templates import (  # noqa: E402
    ProjectTemplate as ProjectTemplate,
)
from rapport.projects.model_templates import (  # noqa: E402
    TemplateDeliverable as TemplateDeliverable,
)
from rapport.projects.model_templates import (  # noqa: E402
    TemplateMilestone as TemplateMilestone,
)
