"""Magic links that let a client contact into the portal (P13). Tokens are stored hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from rapport.core.models import TenantModel


class PortalLink(TenantModel):
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.CASCADE, related_name="portal_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contact", "-created_at"], name="portal_link_contact")]

    def __str__(self) -> str:
        return f"portal link #{self.pk} for contact {self.contact_id}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
