"""Base models and the one tenancy mechanism: every tenant row carries its workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from rapport.accounts.models import Workspace


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TenantQuerySet[M: models.Model](models.QuerySet[M]):
    """Scopes tenant data to one workspace. Every read of tenant data starts here."""

    def for_workspace(self, workspace: Workspace | int) -> Self:
        workspace_id = workspace if isinstance(workspace, int) else workspace.pk
        return self.filter(workspace_id=workspace_id)


class ArchivableQuerySet[M: models.Model](TenantQuerySet[M]):
    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> Self:
        return self.filter(archived_at__isnull=False)


# Managers built from the querysets, so that ``Model.objects.for_workspace(...)`` is typed as a
# queryset of that model (django-stubs reads ``from_queryset`` at module level).
TenantManager = models.Manager.from_queryset(TenantQuerySet)
ArchivableManager = models.Manager.from_queryset(ArchivableQuerySet)


class TenantModel(TimestampedModel):
    """A row owned by one workspace."""

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("workspace"),
    )

    objects: ClassVar[TenantManager[Self]] = TenantManager()

    class Meta:
        abstract = True


class ArchivableModel(TenantModel):
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects: ClassVar[ArchivableManager[Self]] = ArchivableManager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class TimelineEvent(TenantModel):
    """The audit trail of a client relationship: what happened, when, by whom."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("client"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-created_at"], name="timeline_client_recent"),
            # The dashboard's recent activity across the workspace.
            models.Index(fields=["workspace", "-created_at", "-id"], name="timeline_ws_recent"),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The event in the viewer's language (rendered at display time, not stored)."""
        # core.timeline imports this module (TimelineEvent): a module-level import would cycle.
        from rapport.core.timeline import describe_event

        return describe_event(self.verb, self.data)
