"""Clients, their contacts and the dates that matter to them (P26, P27, P28, P31)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES, LegalIdentity
from rapport.core.models import ArchivableModel, TenantModel
from rapport.notifications.kinds import ChannelKind


class Client(ArchivableModel, LegalIdentity):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    class Status(models.TextChoices):
        LEAD = "lead", _("Lead")
        ACTIVE = "active", _("Active")
        PAST = "past", _("Past")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPANY)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LEAD
    )
    industry_tags = models.JSONField(_("industry tags"), default=list, blank=True)
    competitor_tags = models.JSONField(_("competitor tags"), default=list, blank=True)
    # "|design|web|": the tags in one indexed text column so a tag search is one LIKE (P04).
    tag_index = models.CharField(max_length=1000, blank=True, editable=False)
    # P27: the person who holds the context of the relationship.
    account_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_clients",
        verbose_name=_("account owner"),
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    referral_source = models.CharField(_("referral source"), max_length=200, blank=True)
    # P28: temperament and preferences.
    temperament_notes = models.TextField(_("temperament notes"), blank=True)
    # P26: their word -> what they mean, as [{"term": ..., "meaning": ...}].
    glossary = models.JSONField(_("glossary"), default=list, blank=True)
    # P14: a per-client first-response target, overriding the workspace's.
    response_target_hours = models.PositiveSmallIntegerField(
        _("first response within (business hours)"), null=True, blank=True
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["workspace", "archived_at", "name"], name="client_ws_name"),
            models.Index(
                fields=["workspace", "name", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="client_ws_active_name",
            ),
            models.Index(fields=["workspace", "status"], name="client_ws_status"),
            models.Index(fields=["workspace", "account_owner"], name="client_ws_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The client's staff page."""
        return reverse("clients:detail", args=[self.pk])


# What a provider may set on a client, in the order it is shown. ClientForm, the API's
# ClientSerializer and the services (which refuse any other key) take their lists from here.
CLIENT_FIELDS = (
    "name",
    "kind",
    "status",
    "industry_tags",
    "competitor_tags",
    "account_owner",
    "language",
    "timezone",
    "currency",
    "referral_source",
    "temperament_notes",
    "glossary",
    "response_target_hours",
)


class Contact(ArchivableModel):
    # The channels are notifications' (one package per channel); a contact prefers one.
    Channel = ChannelKind

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    telegram = models.CharField(_("Telegram handle"), max_length=64, blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=32, blank=True)
    slack = models.CharField(_("Slack channel or user"), max_length=100, blank=True)
    ntfy_topic = models.CharField(_("ntfy topic"), max_length=64, blank=True)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    contact_hours_start = models.TimeField(_("contact hours from"), null=True, blank=True)
    contact_hours_end = models.TimeField(_("contact hours until"), null=True, blank=True)
    # Blank means "same as the client".
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "client",
                condition=~models.Q(email=""),
                name="contact_unique_email_per_client",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "archived_at", "name"], name="contact_ws_name"),
            models.Index(
                fields=["workspace", "name", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="contact_ws_active_name",
            ),
            models.Index(fields=["client", "archived_at"], name="contact_client"),
            models.Index(Lower("email"), name="contact_email_lower"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_language(self) -> str:
        return self.language or self.client.language

    @property
    def effective_timezone(self) -> str:
        return self.timezone or self.client.timezone


# What a provider may set on a contact, in the order it is shown (its client is set when it is
# created). ContactForm, the API's ContactSerializer and the services take their lists from here.
CONTACT_FIELDS = (
    "name",
    "role",
    "email",
    "phone",
    "telegram",
    "whatsapp",
    "slack",
    "ntfy_topic",
    "webhook_url",
    "preferred_channel",
    "contact_hours_start",
    "contact_hours_end",
    "language",
    "timezone",
)


class ScreeningQuestion(TenantModel):
    """A question of the workspace's lead checklist (P01). One answer may be a red flag."""

    class Flag(models.TextChoices):
        YES = "yes", _("“Yes” is a red flag")
        NO = "no", _("“No” is a red flag")
        NONE = "", _("No red flag")

    text = models.CharField(_("question"), max_length=300)
    red_flag = models.CharField(_("red flag"), max_length=3, choices=Flag.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Screening(TenantModel):
    """Looking before signing (P01, P02): answers, what they went through before, what is at
    stake for them, and the decision to take the work or decline it politely."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        TAKE = "take", _("Take it")
        DECLINE = "decline", _("Decline it")

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="screening")
    past_experience = models.TextField(_("their experience with other providers"), blank=True)
    stakes = models.TextField(_("what is at stake for them"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_message = models.TextField(_("decline message"), blank=True)

    def __str__(self) -> str:
        return f"screening of {self.client_id}"


class ScreeningAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("Not sure")

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ScreeningQuestion, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNSURE)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["screening", "question"], name="screening_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answer}"

    @property
    def is_red_flag(self) -> bool:
        return bool(self.question.red_flag) and self.answer == self.question.red_flag


class BriefTemplate(ArchivableModel):
    """A discovery questionnaire of the workspace (P05): goals, audience, references…"""

    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        # The "Questionnaire" choice of the send form shows it.
        return self.title


class BriefQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        FILE = "file", _("File")

    template = models.ForeignKey(BriefTemplate, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    # For choice questions: one option per item.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Brief(TenantModel):
    """A questionnaire sent to one contact, filled in the portal; its answers stay on the client."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        IN_PROGRESS = "in_progress", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="briefs")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="briefs")
    template = models.ForeignKey(BriefTemplate, on_delete=models.PROTECT, related_name="briefs")
    # The questions as they were when sent: editing the template later changes no brief.
    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    sent_at = models.DateTimeField(_("sent"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]


def brief_file_path(instance: BriefAnswer, filename: str) -> str:
    return f"briefs/{instance.brief.workspace_id}/{instance.brief_id}/{filename}"


class BriefAnswer(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="answers")
    # The question's position in ``Brief.questions``.
    question_index = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    file = models.FileField(upload_to=brief_file_path, blank=True, max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "question_index"], name="brief_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id}#{self.question_index}"


class PortalLink(TenantModel):
    """A magic link into the portal for one contact (P13); its token is stored hashed."""

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
        # The table keeps the name it had when links lived in the portal app.
        db_table = "portal_portallink"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contact", "-created_at"], name="portal_link_contact")]

    def __str__(self) -> str:
        return f"portal link #{self.pk} for contact {self.contact_id}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


# Models kept in modules of their own (this one would pass 400 lines); imported here so that
# Django registers them with the app.
from rapport.clients.model_dates import ImportantDate as ImportantDate  # noqa: E402
from rapport.clients.model_handover import Handover as Handover  # noqa: E402
