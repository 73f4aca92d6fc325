"""Client requests (P14) and inbound email that matched no client."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


class Request(TenantModel):
    """Something a client asked for. It leaves the inbox only with a decision."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="requests")
    contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    received_at = models.DateTimeField(_("received"))
    # The acknowledgement sent at once, with the time by which the client gets an answer.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    eta = models.DateTimeField(_("answer by"))
    # When the provider is alerted that the target is near (a share of it, default 75%).
    alert_at = models.DateTimeField()
    alert_raised_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The reference put in replies ("[R-42]") so an inbound email threads to this request.
    reference = models.CharField(max_length=16, blank=True, db_index=True)
    message_id = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["eta", "id"]
        indexes = [
            models.Index(
                fields=["alert_at"],
                condition=models.Q(state="open", alert_raised_at__isnull=True),
                name="request_open_alert",
            ),
            models.Index(fields=["client", "-received_at"], name="request_client"),
            models.Index(fields=["workspace", "state", "-received_at"], name="request_ws_state"),
        ]

    def __str__(self) -> str:
        return self.subject


class InboundEmail(models.Model):
    """An inbound email kept as received. Unmatched ones wait in a list for a provider."""

    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    received_at = models.DateTimeField()
    sender = models.CharField(max_length=254)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html_sanitised = models.TextField(blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["-received_at"],
                condition=models.Q(request__isnull=True),
                name="inbound_unmatched",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
