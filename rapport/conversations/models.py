"""Client requests (P14), inbound email (threaded or unmatched) and the mailboxes read over
IMAP."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel
from rapport.core.texts import TextRef, system_text


class Tone(models.TextChoices):
    """How a client's words read (``care.tone``): the label's codes, mildest first."""

    NEUTRAL = "neutral", _("Neutral")
    UNHAPPY = "unhappy", _("Unhappy")
    HOSTILE = "hostile", _("Hostile")


class ToneFields(models.Model):
    """The tone of the client's own words on this row (P23, P24), written by care's receiver
    of ``signals.client_wrote`` (ADR 0032). Empty when not read: a provider's summary of a
    call, or a row from before the tone was read."""

    tone = models.CharField(_("tone"), max_length=16, choices=Tone.choices, blank=True)
    # The classifier's negativity in [0, 1); what the label was decided from is ``tone_cues``.
    tone_score = models.FloatField(null=True, blank=True)
    # The words that decided it, so the provider sees why: [{"kind", "text", "weight",
    # "negated", "intensified"}], in the message's order.
    tone_cues = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


class Request(TenantModel, ToneFields):
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
    # A subject the system gave ("(no subject)" for an email without one), as a text key:
    # each reader sees it in their language; ``subject`` keeps it in English (ADR 0021).
    subject_ref = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("message"))
    # The client said it cannot wait: the owner is told even in their quiet hours (P14).
    urgent = models.BooleanField(_("urgent"), default=False)
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

    @property
    def shown_subject(self) -> str:
        """The subject in the reader's language when the system gave it, else as written."""
        if self.subject_ref:
            return system_text(self.subject_ref, fallback=self.subject)
        return self.subject

    @property
    def subject_data(self) -> TextRef | str:
        """The subject to keep in an alert's, event's or commitment's data."""
        return self.subject_ref or self.subject


class Mailbox(TenantModel):
    """A mailbox the workspace already has, read over IMAP (P14): replies reach Rapport
    without a public web address. Each message is fetched once (UIDVALIDITY + last UID)."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS (IMAPS, usually port 993)")
        STARTTLS = "starttls", _("STARTTLS (usually port 143)")
        NONE = "none", _("None (only if this server allows it)")

    address = models.EmailField(_("address of the mailbox"))
    host = models.CharField(_("IMAP server"), max_length=253)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=16, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("username"), max_length=254)
    # Write-only: no page, form or API ever shows it again (ADR 0017).
    password = models.CharField(_("password"), max_length=500)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    next_poll_at = models.DateTimeField(default=timezone.now)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    # What went wrong on the last attempt: a code of ``mailboxes.ERRORS`` (shown translated in
    # Settings) and the server's own words.
    last_error = models.CharField(max_length=32, blank=True)
    last_error_detail = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    stored_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="mailbox_one_per_workspace")
        ]
        indexes = [models.Index(fields=["next_poll_at"], name="mailbox_due")]

    def __str__(self) -> str:
        return self.address


class InboundEmail(ToneFields):
    """An inbound email kept as received. Unmatched ones wait in a list for a provider.

    ``workspace`` is empty only for mail to the server's address whose plus-token names no
    workspace: server admins see those in the Django admin (docs/inbound-mail.md)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    received_at = models.DateTimeField()
    sender = models.CharField(max_length=254)
    sender_name = models.CharField(max_length=200, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html_sanitised = models.TextField(blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    # Threading headers: a reply names the Message-ID of an email Rapport sent.
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    # Set when a provider assigns or discards an unmatched email; discarded ones are kept.
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discarded_at = models.DateTimeField(null=True, blank=True)

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
