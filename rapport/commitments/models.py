"""The commitment ledger: everything owed to a client, with a due time (P15, P17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel
from rapport.core.texts import TextRef, system_text


class Commitment(TenantModel):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milestone deadline")
        PROMISE = "promise", _("Promise")
        REPLY = "reply", _("Reply to a request")
        UPDATE = "update", _("Progress update")
        FIX = "fix", _("Fix")
        QUOTE = "quote", _("Quote validity")
        SIGNATURE = "signature", _("Countersignature")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")
        # A new date the client was told of (a notice from Rapport, or a call, a meeting, an
        # email outside Rapport, with a note): neutral in the keeping rate.
        RENEGOTIATED = "renegotiated", _("Renegotiated, client told")
        # A later date nobody told the client of: counts as broken (P15, P17).
        MOVED = "moved", _("Moved without notice")
        # Cancelled by the provider, with a reason: broken unless the client agrees.
        CANCELLED = "cancelled", _("Cancelled")
        CANCEL_AGREED = "cancel_agreed", _("Cancelled, agreed by the client")
        # Its schedule changed (an update cadence moved, a project paused) or a date was
        # brought forward: a new commitment, or none, takes its place; neutral.
        SUPERSEDED = "superseded", _("Superseded")

    class ToldVia(models.TextChoices):
        NOTIFICATION = "notification", _("Rapport notification")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("client"),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    milestone = models.ForeignKey(
        "projects.Milestone",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    request = models.ForeignKey(
        "conversations.Request",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The words the client saw (P17); for automatic commitments, a short description.
    wording = models.CharField(_("wording"), max_length=500)
    # A wording the system composed, as a text key and its parameters (``rapport.core.texts``):
    # each reader sees it in their language; ``wording`` then keeps it in English as a fallback.
    wording_ref = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Renegotiation (P16): the new commitment, why, and when and how the client was told.
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # A reason the system gave ("milestone archived"), as a text key: read in each reader's
    # language, ``reason`` keeping it in English (ADR 0021).
    reason_ref = models.JSONField(default=dict, blank=True)
    told_at = models.DateTimeField(_("client told at"), null=True, blank=True)
    told_via = models.CharField(_("told via"), max_length=16, choices=ToldVia.choices, blank=True)
    # When and how the client was told, when it was not through Rapport ("call on Monday").
    told_note = models.CharField(_("how the client was told"), max_length=300, blank=True)
    # The client's answer to a cancellation, in the portal (P17): who and when. Agreed, the
    # state is CANCEL_AGREED; disagreed, it stays CANCELLED with the answer recorded.
    cancel_answered_at = models.DateTimeField(_("client answered at"), null=True, blank=True)
    cancel_answered_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Promise confirmation by the client in the portal (P17).
    confirmation_requested_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the client"), null=True, blank=True)
    # Set when the "due soon" reminder went out, so the scanner looks at each row once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One open automatic commitment per source, e.g. "milestone:12", "update:7:2026-11-27".
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The tick's scan: open commitments whose due time has passed.
            models.Index(
                fields=["due_at"], condition=models.Q(state="open"), name="commitment_open_due"
            ),
            models.Index(fields=["client", "state", "resolved_at"], name="commitment_client_state"),
            models.Index(fields=["workspace", "state", "resolved_at"], name="commitment_ws_state"),
        ]

    # What the provider does not owe: a quote's validity is the client's time to decide, not
    # a promise kept or broken, so the keeping rate leaves it out (ADR 0016).
    NOT_OWED_KINDS = (Kind.QUOTE,)

    def __str__(self) -> str:
        return self.wording

    @property
    def shown_wording(self) -> str:
        """The wording in the reader's language: a composed one written out now, a typed one
        as typed (ADR 0021)."""
        if self.wording_ref:
            return system_text(self.wording_ref, fallback=self.wording)
        return self.wording

    @property
    def wording_data(self) -> TextRef | str:
        """The wording to keep in an alert's or event's data: the reference when composed."""
        return self.wording_ref or self.wording

    @property
    def shown_reason(self) -> str:
        """The reason in the reader's language when the system gave it, else as typed."""
        if self.reason_ref:
            return system_text(self.reason_ref, fallback=self.reason)
        return self.reason

    @property
    def reason_data(self) -> TextRef | str:
        """The reason to keep in an event's data: the reference when the system gave it."""
        return self.reason_ref or self.reason

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def counts_as_broken(self) -> bool:
        """Missed, moved without notice, or cancelled without the client's agreement."""
        broken = (self.State.BROKEN, self.State.MOVED, self.State.CANCELLED)
        return self.state in broken and self.kind not in self.NOT_OWED_KINDS
