"""Keeping in touch after delivery and winning back past clients (P30, P31, P34). Imported by
``care.models``.

A :class:`CheckIn` is one message to a client that the provider sends in one click, edits or
skips: a check-in some months after a project was delivered, or a message to win back a past
client who has been silent. A :class:`LoyaltyOffer` is what a returning client is offered on
their next quote (a discount, a note, or both).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel


class CheckIn(TenantModel):
    """One keep-in-touch message, from its due moment to sent or skipped.

    A check-in is written ``scheduled`` when its project is delivered, with ``due_at`` (a
    working morning where the provider works). The tick drafts it when the moment comes:
    ``ready``, with its subject and text in the contact's language, and an alert for the
    account owner; or ``skipped`` with the reason ``in_touch`` when the client and the
    provider wrote to each other lately (docs/keeping-in-touch.md). A project taken back to
    work cancels the check-ins still to come (``cancelled``). A win-back draft is written
    ``ready`` at once from the win-back page, or by the tick from the client's silence watch: a
    ``scheduled`` win-back row due when the client will have been silent for a year
    (``care.keepintouch.winback``).
    """

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in after delivery")
        WIN_BACK = "win_back", _("Win back")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        READY = "ready", _("Ready to send")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")

    class SkipReason(models.TextChoices):
        PROVIDER = "provider", _("Skipped by the provider")
        IN_TOUCH = "in_touch", _("You were in touch lately")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A check-in: months after the delivery it follows, and that delivery's moment (a project
    # delivered again gets check-ins of its own).
    months = models.PositiveSmallIntegerField(_("months after delivery"), null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When a scheduled check-in is drafted; the tick reads only rows whose moment has come.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    drafted_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(
        _("why skipped"), max_length=16, choices=SkipReason.choices, blank=True
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notification = models.ForeignKey(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One check-in per delivery and interval: scheduling twice writes nothing new.
            models.UniqueConstraint(
                fields=["project", "delivered_at", "months"],
                condition=models.Q(kind="check_in"),
                name="checkin_once_per_delivery",
            ),
            # One watch on a client's silence: the moment the tick looks again (win back).
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(kind="win_back", state="scheduled"),
                name="winback_one_watch",
            ),
            # One win-back draft waiting per client.
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(kind="win_back", state="ready"),
                name="winback_one_ready",
            ),
        ]
        indexes = [
            # The tick's scan (P30): scheduled check-ins whose moment has come. Partial, so
            # its size is the check-ins still to come, not every message ever drafted.
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="scheduled"),
                name="checkin_due",
            ),
            # The keep-in-touch page: drafts waiting, newest first.
            models.Index(fields=["workspace", "state", "-drafted_at"], name="checkin_ws_state"),
            models.Index(fields=["client", "kind", "state"], name="checkin_client"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY


class LoyaltyOffer(TenantModel):
    """What a returning client is offered (P31, P34): a discount in percent, a note, or both.

    It waits (``quote`` empty) until the client's next quote is written; then it is attached
    to that quote, shown on its page, and the next offer waits for the quote after.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    discount_percent = models.DecimalField(
        _("discount (%)"), null=True, blank=True, max_digits=5, decimal_places=2
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quote = models.OneToOneField(
        "agreements.Quote",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loyalty_offer",
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One offer waiting per client: a new one replaces it.
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(quote__isnull=True),
                name="loyalty_one_waiting",
            ),
            models.CheckConstraint(
                condition=models.Q(discount_percent__isnull=True)
                | models.Q(discount_percent__gt=0, discount_percent__lte=100),
                name="loyalty_discount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"loyalty {self.client_id}"
