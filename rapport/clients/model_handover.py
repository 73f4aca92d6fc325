"""A handover of a client from one account owner to the next, with its note (P27)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


class Handover(TenantModel):
    """Who held the client, who holds it now, and what the new owner must know: the history,
    the client's temperament, the open promises. The note is shown to the new owner on the
    client page until they mark it read."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="handovers_received",
        verbose_name=_("new account owner"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("handover note"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The client page asks: is there an unread note for me on this client?
            models.Index(fields=["client", "to_user", "read_at"], name="handover_client_to")
        ]

    def __str__(self) -> str:
        return f"handover #{self.pk} of client {self.client_id}"
