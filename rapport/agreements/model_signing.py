"""The evidence of a signed document (P08): each signature with what the signer read and the
code they typed, the one-time codes, and the audit events whose hashes chain to one another.

Split from ``agreements.models`` (which imports these); foreign keys name the document by
its label so that this module needs nothing from that one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedDocumentError(Exception):
    """A write that would change a signed document's content."""


class Signature(models.Model):
    """The evidence of one signature: who, what they read, the code, where from, which bytes."""

    class Party(models.TextChoices):
        CLIENT = "client", _("Client")
        PROVIDER = "provider", _("Provider")

    document = models.ForeignKey(
        "agreements.Document", on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.CharField(max_length=16, choices=Party.choices)
    contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    typed_name = models.CharField(_("name"), max_length=200)
    consent_text = models.TextField()
    code = models.ForeignKey(
        "SignatureCode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField()
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "party"], name="signature_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.party} signature of {self.document_id}"


class SignatureCode(models.Model):
    """A one-time code emailed to the signer; stored only as a hash, used once."""

    document = models.ForeignKey(
        "agreements.Document", on_delete=models.CASCADE, related_name="codes"
    )
    contact = models.ForeignKey("clients.Contact", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # The message that carried the code; its text loses the code once the code is used,
    # replaced or expired (``cleared_at``), so the outbox never holds a working code for long.
    notification = models.ForeignKey(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["document", "contact", "used_at"], name="sigcode_open"),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(cleared_at__isnull=True),
                name="sigcode_to_clear",
            ),
        ]

    def __str__(self) -> str:
        return f"code for {self.document_id}"


class AuditEvent(models.Model):
    """One step in a document's life; ``hash`` = SHA-256(previous hash + this event's content)."""

    document = models.ForeignKey(
        "agreements.Document", on_delete=models.PROTECT, related_name="audit"
    )
    seq = models.PositiveIntegerField()
    verb = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="audit_document_seq")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.seq} {self.verb}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an event is written once; the chain makes any later edit visible.
        if not self._state.adding:
            raise SignedDocumentError(f"audit event {self.pk} cannot change")
        super().save(*args, **kwargs)
