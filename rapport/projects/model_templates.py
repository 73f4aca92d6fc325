"""Project templates: the milestones (dated by an offset from the start), their deliverables
and the update cadence of a kind of work done again and again (the first day: a new project
from a template instead of thirty fields typed by hand)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import ArchivableModel, TenantModel


class ProjectTemplate(ArchivableModel):
    # The same choices as the project's (projects.models.Project), repeated as plain values
    # here: this module is imported by that one.
    name = models.CharField(_("name"), max_length=200)
    update_cadence = models.CharField(_("update cadence"), max_length=16, default="weekly")
    update_weekday = models.PositiveSmallIntegerField(_("update day"), default=4)
    out_of_scope = models.TextField(_("out of scope"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Two current templates with one name could not be told apart in the list.
            models.UniqueConstraint(
                fields=["workspace", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="project_template_name_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateMilestone(TenantModel):
    template = models.ForeignKey(
        ProjectTemplate, on_delete=models.CASCADE, related_name="milestones"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    # Days from the project's start to this milestone's due date.
    offset_days = models.PositiveIntegerField(_("days after the start"))
    estimate_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class TemplateDeliverable(TenantModel):
    milestone = models.ForeignKey(
        TemplateMilestone, on_delete=models.CASCADE, related_name="deliverables"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    spec = models.TextField(_("specification"))
    format = models.CharField(_("format"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
