"""Referrals, the expert directory and the recommendations made to clients (P32, P34).
Imported by ``care.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.core.models import ArchivableModel, TenantModel


class Expert(ArchivableModel):
    """A trusted colleague the provider recommends to clients (P32), found by skill.

    ``skills`` is the list as typed; ``skill_index`` holds them lower-cased as ``|seo|copy|``
    so that a filter by skill is one indexed LIKE, as clients' tags are (ADR 0035).
    """

    name = models.CharField(_("name"), max_length=200)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    skill_index = models.CharField(max_length=1000, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["workspace", "archived_at", "name"], name="expert_ws_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:expert_detail", args=[self.pk])


class Referral(TenantModel):
    """Who referred a client to us (P34): another client, a contact of a client, or a
    colleague (a name, optionally an expert of the directory).

    One per client: a client came once. ``referrer_client`` is set for a client and for a
    contact (the contact's client), so the chain is one column: the edges ``referrer_client
    → client`` form a forest, and the services refuse a self-referral and a cycle.
    """

    class Kind(models.TextChoices):
        CLIENT = "client", _("Another client")
        CONTACT = "contact", _("A contact of a client")
        COLLEAGUE = "colleague", _("A colleague")

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="referral"
    )
    kind = models.CharField(_("referred by"), max_length=16, choices=Kind.choices)
    referrer_client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referrals_made",
    )
    referrer_contact = models.ForeignKey(
        "clients.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referrals_made",
    )
    colleague_name = models.CharField(_("colleague's name"), max_length=200, blank=True)
    expert = models.ForeignKey(
        "care.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    referred_on = models.DateField(_("referred on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the thank-you to the referring contact was queued (the outbox row holds the rest).
    thanked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(referrer_client=models.F("client")),
                name="referral_not_self",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="client", referrer_client__isnull=False)
                    | models.Q(
                        kind="contact",
                        referrer_client__isnull=False,
                        referrer_contact__isnull=False,
                    )
                    | models.Q(kind="colleague", referrer_client__isnull=True)
                ),
                name="referral_kind_fields",
            ),
        ]
        indexes = [
            # The chain reads a workspace's edges; the reports count by month.
            models.Index(fields=["workspace", "referrer_client"], name="referral_ws_referrer"),
            models.Index(fields=["workspace", "referred_on"], name="referral_ws_month"),
        ]

    def __str__(self) -> str:
        return f"referral of {self.client_id}"

    @property
    def referrer_name(self) -> str:
        """Who referred, as the page names them."""
        if self.kind == self.Kind.CONTACT and self.referrer_contact is not None:
            client = self.referrer_client.name if self.referrer_client else ""
            return f"{self.referrer_contact.name} ({client})"
        if self.kind == self.Kind.CLIENT and self.referrer_client is not None:
            return self.referrer_client.name
        if self.expert is not None and not self.colleague_name:
            return self.expert.name
        return self.colleague_name


class Recommendation(TenantModel):
    """An expert recommended to a client (P32): for what, when, to whom, and how it went."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")
        UNKNOWN = "unknown", _("Unknown")

    expert = models.ForeignKey(
        "care.Expert", on_delete=models.CASCADE, related_name="recommendations"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="recommendations"
    )
    contact = models.ForeignKey(
        "clients.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("for what"))
    recommended_on = models.DateField(_("recommended on"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.CharField(_("note on the outcome"), max_length=500, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # When the recommendation went to the contact as a message (through the outbox).
    sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recommended_on", "-id"]
        indexes = [
            models.Index(fields=["client", "-recommended_on"], name="recommendation_client"),
            models.Index(fields=["expert", "-recommended_on"], name="recommendation_expert"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} to {self.client_id}"
