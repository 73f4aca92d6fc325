"""What a provider hands over for a deliverable: files kept privately, or links (P06, P13).

Files are stored under MEDIA_ROOT with a random name (the uploader's name is kept only as
text) and are never served as media: staff and portal views stream them after an access check
(``projects.attachments``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


def deliverable_file_path(instance: DeliverableAttachment, filename: str) -> str:
    return f"deliverables/{instance.workspace_id}/{instance.deliverable_id}/{filename}"


class DeliverableAttachment(TenantModel):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    deliverable = models.ForeignKey(
        "projects.Deliverable", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # The file's own name as uploaded, or the link's label.
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(upload_to=deliverable_file_path, blank=True, max_length=300)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    added_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["deliverable", "id"], name="attachment_deliverable")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="file") & ~models.Q(file=""))
                | (models.Q(kind="link") & ~models.Q(url="")),
                name="attachment_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE
