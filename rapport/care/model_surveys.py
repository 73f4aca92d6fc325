"""At the close of a project (P33, P34): the satisfaction survey and its answers, the
testimonial a client allows us to publish, the permission to show the work in a portfolio,
and the log of where the client's work or brand was shown (docs/surveys.md, ADR 0034)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel

CSAT_MIN, CSAT_MAX = 1, 5
NPS_MIN, NPS_MAX = 0, 10
# The NPS bands (Reichheld): 9-10 promoters, 7-8 passives, 0-6 detractors.
PROMOTER_FROM, PASSIVE_FROM = 9, 7


class Survey(TenantModel):
    """The satisfaction survey of one project (one per project), sent to the client's active
    contacts. At delivery it is scheduled (``send_at``, a few days after the thank-you) and the
    tick sends it; by hand it is sent at once. ``sent_at`` is when it went out."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="surveys")
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="survey"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The moment the survey is due to go out; cleared when it goes, so the tick's partial
    # index holds only the surveys still waiting.
    send_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["send_at"],
                condition=models.Q(send_at__isnull=False),
                name="survey_send_due",
            ),
            models.Index(fields=["client", "-sent_at"], name="survey_client_sent"),
        ]

    def __str__(self) -> str:
        return f"survey of project {self.project_id}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class SurveyAnswer(TenantModel):
    """One contact's answer to a survey: satisfaction with the project (CSAT 1-5), how likely
    they are to recommend us (NPS 0-10) and an open answer. One per contact and survey:
    answering again changes it."""

    class Source(models.TextChoices):
        EMAIL = "email", _("Email link")
        PORTAL = "portal", _("Portal")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("clients.Contact", on_delete=models.CASCADE, related_name="+")
    csat = models.PositiveSmallIntegerField(_("satisfaction"))
    nps = models.PositiveSmallIntegerField(_("likely to recommend"))
    comment = models.TextField(_("open answer"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "contact"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=models.Q(csat__gte=CSAT_MIN, csat__lte=CSAT_MAX),
                name="survey_csat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(nps__gte=NPS_MIN, nps__lte=NPS_MAX), name="survey_nps_range"
            ),
        ]
        indexes = [
            # The results: a workspace's answers by month, a client's latest.
            models.Index(fields=["workspace", "answered_at"], name="survey_answer_ws_time"),
            models.Index(fields=["client", "-answered_at"], name="survey_answer_client"),
        ]

    def __str__(self) -> str:
        return f"survey answer {self.csat}/{self.nps} from {self.contact_id}"

    @property
    def band(self) -> str:
        """``promoter``, ``passive`` or ``detractor`` (the NPS bands)."""
        if self.nps >= PROMOTER_FROM:
            return "promoter"
        return "passive" if self.nps >= PASSIVE_FROM else "detractor"


class Testimonial(TenantModel):
    """Words of a client's contact we may publish, with their explicit permission (P33): the
    text is theirs, and so is the choice to show their name and their company. The contact
    may withdraw the permission at any time (``withdrawn_at``); the row stays, so the
    promotion log can tell what was allowed when."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="testimonials"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="testimonials"
    )
    contact = models.ForeignKey("clients.Contact", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("testimonial"))
    show_name = models.BooleanField(_("show my name"), default=False)
    show_company = models.BooleanField(_("show my company"), default=False)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            # One standing testimonial per contact and survey; withdrawn ones stay as history.
            models.UniqueConstraint(
                fields=["survey", "contact"],
                condition=models.Q(withdrawn_at__isnull=True, survey__isnull=False),
                name="testimonial_once_per_survey",
            ),
        ]
        indexes = [models.Index(fields=["client", "-given_at"], name="testimonial_client")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class PortfolioPermission(TenantModel):
    """A client's permission to show the work of one project in our portfolio (P33),
    optionally with conditions ("after the launch", "no prices"). Revocable by the client at
    any time; who granted and who revoked, and when, are kept. A new grant after a revocation
    is a new row."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="portfolio_permissions"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="portfolio_permissions"
    )
    conditions = models.CharField(_("conditions"), max_length=500, blank=True)
    granted_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(revoked_at__isnull=True),
                name="portfolio_one_standing",
            ),
        ]
        indexes = [models.Index(fields=["client", "-granted_at"], name="portfolio_client")]

    def __str__(self) -> str:
        return f"portfolio permission for project {self.project_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Promotion(TenantModel):
    """Where and when a client's work or brand was shown (P33), under which permission: a
    testimonial or a portfolio permission, standing on the day it was shown."""

    class Channel(models.TextChoices):
        WEBSITE = "website", _("Website or portfolio")
        SOCIAL = "social", _("Social media")
        NEWSLETTER = "newsletter", _("Newsletter")
        TALK = "talk", _("Talk or event")
        PRINT = "print", _("Print")
        OTHER = "other", _("Other")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("where"), max_length=16, choices=Channel.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    shown_on = models.DateField(_("shown on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    testimonial = models.ForeignKey(
        Testimonial, null=True, blank=True, on_delete=models.PROTECT, related_name="promotions"
    )
    portfolio = models.ForeignKey(
        PortfolioPermission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-shown_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(testimonial__isnull=False, portfolio__isnull=True)
                | models.Q(testimonial__isnull=True, portfolio__isnull=False),
                name="promotion_one_permission",
            ),
        ]
        indexes = [models.Index(fields=["client", "-shown_on"], name="promotion_client")]

    def __str__(self) -> str:
        return f"{self.channel} {self.shown_on}"
