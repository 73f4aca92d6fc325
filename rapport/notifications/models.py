"""Alerts for providers and the outbox of messages to client contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel
from rapport.notifications.alerts import alert_action_url, alert_text


class Alert(TenantModel):
    """Something a provider must act on. Done or dismissed, never silently dropped."""

    class Kind(models.TextChoices):
        UPDATE_DUE = "update_due", _("Progress update due today")
        UPDATE_MISSED = "update_missed", _("Progress update missed")
        REQUEST_NEAR_TARGET = "request_near_target", _("Request close to its response target")
        REQUEST_RECEIVED = "request_received", _("New client request")
        REPLY_RECEIVED = "reply_received", _("Client replied")
        DEADLINE_AT_RISK = "deadline_at_risk", _("Deadline at risk")
        COMMITMENT_BROKEN = "commitment_broken", _("Commitment broken")
        DELIVERY_FAILED = "delivery_failed", _("Message could not be delivered")
        INBOUND_UNMATCHED = "inbound_unmatched", _("Email from an unknown sender")
        PROMISE_CONFIRMED = "promise_confirmed", _("Client confirmed a promise")
        CANCEL_ANSWERED = "cancel_answered", _("Client answered a cancellation")
        BRIEF_SUBMITTED = "brief_submitted", _("Client sent their brief")
        QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted")
        QUOTE_DECLINED = "quote_declined", _("Quote declined")
        QUOTE_EXPIRING = "quote_expiring", _("Quote about to expire")
        CONTRACT_TO_COUNTERSIGN = "contract_to_countersign", _("Contract to countersign")
        CHANGE_REQUESTED = "change_requested", _("Change requested")
        CHANGE_DECIDED = "change_decided", _("Client decided on a change")
        REVISION_DECIDED = "revision_decided", _("Client decided on a billable revision")
        INVOICE_OVERDUE = "invoice_overdue", _("Invoice overdue")
        KICKOFF_READY = "kickoff_ready", _("Ready to kick off")
        DELIVERABLE_ACCEPTED = "deliverable_accepted", _("Client approved a deliverable")
        PROBLEM_ANSWERED = "problem_answered", _("Client answered a problem report")
        CLIENT_UPSET = "client_upset", _("Client may be upset")
        DECISION_MADE = "decision_made", _("Client decided on a recommendation")
        CLIENT_PATTERN = "client_pattern", _("A recurring client-caused pattern")
        PROBLEM_UNANSWERED = "problem_unanswered", _("Problem report not answered")
        SURVEY_ANSWERED = "survey_answered", _("Client answered a survey")
        TESTIMONIAL_GIVEN = "testimonial_given", _("Client gave a testimonial")
        IMPORTANT_DATE = "important_date", _("A client's special day")
        CHECK_IN_DUE = "check_in_due", _("Time to check in")
        WIN_BACK = "win_back", _("A past client to win back")
        HEALTH_AT_RISK = "health_at_risk", _("Relationship at risk")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DISMISSED = "dismissed", _("Dismissed")

    class Severity(models.IntegerChoices):
        INFO = 10, _("Info")
        WARNING = 20, _("Warning")
        URGENT = 30, _("Urgent")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.WARNING)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the alert is about, for its action link and its sentence.
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Scanners insert with this key so that running them twice raises one alert.
    dedupe_key = models.CharField(max_length=160, unique=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-severity", "-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["workspace", "-severity", "-created_at"],
                condition=models.Q(state="open"),
                name="alert_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.state})"

    def describe(self) -> str:
        return alert_text(self)

    @property
    def action_url(self) -> str:
        return alert_action_url(self)


class Notification(TenantModel):
    """One outbound message: the outbox row, written in the business transaction and delivered
    by the worker. Its id is the idempotency key sent along.

    Most go to a client contact (``contact`` and ``client`` set). A message to a member of the
    workspace (a digest, a new-request notice) names the ``user``; one to an address only (an
    invitation) names neither. ``recipient_name`` is what the delivery log shows in each case.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    contact = models.ForeignKey(
        "clients.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=16)
    address = models.CharField(max_length=254)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    urgent = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    # Not before this time: the contact's hours in their time zone (unless urgent).
    not_before = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The claim holds until then; the worker renews it before each send, the sweeper takes
    # back only rows whose lease ran out (docs/adr/0005-outbox-deliverer.md).
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    fallback_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallback"
    )
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=160, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The deliverer's claim: queued rows whose time has come.
            models.Index(
                fields=["not_before"], condition=models.Q(state="queued"), name="notification_due"
            ),
            # The sweeper: rows whose worker's lease ran out.
            models.Index(
                fields=["lease_until"],
                condition=models.Q(state="sending"),
                name="notification_lease",
            ),
            models.Index(fields=["client", "-created_at"], name="notification_client"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} to {self.address} ({self.state})"

    @property
    def idempotency_key(self) -> str:
        return f"rapport-notification-{self.pk}"


class DigestSent(models.Model):
    """One daily digest per provider per day (the key makes a second send impossible)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"digest {self.day} for {self.user_id}"


class DeliveryAttempt(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attempt_log"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"attempt on #{self.notification_id}: {'ok' if self.ok else self.error[:40]}"
