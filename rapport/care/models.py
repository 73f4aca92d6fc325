"""Problems and mistakes, told to the client in writing with alternatives (P20, P21, P22)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TenantModel
from rapport.projects.pulse_links import FACES, LABELS


def hours_shown(value: Decimal) -> Decimal:
    """Hours as a person writes them: 2.5 and 3, not 2.50 and 3.00 (nor 1E+1 for 10)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class Problem(TenantModel):
    """Something that went wrong on a project: what, why, what it costs in days and money,
    the plan, and the alternatives the client chooses from.

    Its life: ``sent`` (the client was told and may choose) → ``chosen`` (an alternative is
    a fix commitment) or ``talk`` (the client asked to talk; the provider may still record a
    choice) → ``resolved`` (the resolution report went to the client).
    """

    class Cause(models.TextChoices):
        OURS = "ours", _("Our mistake")
        CLIENT = "client", _("On the client's side")
        EXTERNAL = "external", _("External")

    class State(models.TextChoices):
        SENT = "sent", _("Waiting for the client's choice")
        TALK = "talk", _("The client asked to talk")
        CHOSEN = "chosen", _("Alternative chosen, fix under way")
        RESOLVED = "resolved", _("Resolved")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="problems")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="problems"
    )
    milestone = models.ForeignKey(
        "projects.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)
    # Impact on dates (working days late) and money (in the project's currency), as the
    # client reads them; zero means none.
    impact_days = models.PositiveIntegerField(_("delay in days"), default=0)
    impact_amount = models.DecimalField(_("extra cost"), default=0, max_digits=18, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)
    plan = models.TextField(_("plan"))
    # Our mistake (P21): an apology and what changes so it does not happen again.
    apology = models.TextField(_("apology"), blank=True)
    prevention = models.TextField(_("what changes so it does not happen again"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SENT)
    chosen = models.OneToOneField(
        "care.ProblemAlternative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    chosen_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fix = models.OneToOneField(
        "commitments.Commitment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem",
    )
    talk_request = models.ForeignKey(
        "conversations.Request",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The contacts the report went to: the reminder of an unanswered report goes to them.
    recipients = models.ManyToManyField("clients.Contact", blank=True, related_name="+")
    # When an unanswered report is due a reminder (three working days after it was sent);
    # cleared when the client answers or the reminder goes, so the tick reads only due rows.
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Goodwill time (P35): hours of the fix given free against our own mistake, optionally
    # their money value at the provider's rate, and whether the resolution report says so.
    goodwill_hours = models.DecimalField(
        _("hours not charged"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    goodwill_amount = models.DecimalField(
        _("their value"), null=True, blank=True, max_digits=18, decimal_places=4
    )
    goodwill_note = models.CharField(_("note"), max_length=500, blank=True)
    goodwill_tell = models.BooleanField(
        _("tell the client in the resolution report"), default=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "project", "-created_at"]),
            # The reminder scan: reports still waiting for an answer whose time has come
            # (P20); a partial index, so its size is the unanswered reports, not all problems.
            models.Index(
                fields=["remind_at"],
                condition=models.Q(state="sent", remind_at__isnull=False),
                name="problem_remind_due",
            ),
            # The pattern check at a client-caused report (P25): that client's recent ones.
            models.Index(
                fields=["client", "created_at"],
                condition=models.Q(cause="client"),
                name="problem_client_caused",
            ),
            # The health score's "open problems" of the clients it recomputes (P37): only the
            # reports not yet resolved, with the id so that counting them reads the index alone.
            models.Index(
                fields=["client", "id"],
                condition=~models.Q(state="resolved"),
                name="problem_open_client",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ours(self) -> bool:
        return self.cause == self.Cause.OURS

    @property
    def goodwill_hours_shown(self) -> Decimal | None:
        return hours_shown(self.goodwill_hours) if self.goodwill_hours is not None else None

    @property
    def can_choose(self) -> bool:
        return self.state in (self.State.SENT, self.State.TALK)


class ProblemAlternative(models.Model):
    """One way out the client may choose (P22), with its cost and the date it would be done."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="alternatives")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("alternative"), max_length=500)
    cost = models.DecimalField(_("cost"), default=0, max_digits=18, decimal_places=4)
    due_date = models.DateField(_("done by"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class PulseAnswer(TenantModel):
    """One contact's answer to "How are we doing?" (P23): a face from 1 (unhappy) to 5
    (delighted), with an optional comment.

    An answer to a progress update (from its email's links or the portal) is one row per
    contact and update: answering again changes it. A portal answer when no update was sent
    is one row per contact, project and day. ``answered_at`` is the last time it was given.
    """

    class Source(models.TextChoices):
        EMAIL = "email", _("Email")
        PORTAL = "portal", _("Portal")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="pulse")
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pulse",
    )
    contact = models.ForeignKey("clients.Contact", on_delete=models.CASCADE, related_name="pulse")
    score = models.PositiveSmallIntegerField(_("how are we doing"))
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    update = models.ForeignKey(
        "projects.ProjectUpdate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pulse",
    )
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "update"],
                condition=models.Q(update__isnull=False),
                name="pulse_once_per_update",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="pulse_score_range"
            ),
        ]
        indexes = [
            # The trend reads: a client's or a project's latest answers.
            models.Index(fields=["client", "-answered_at"], name="pulse_client_recent"),
            models.Index(fields=["project", "-answered_at"], name="pulse_project_recent"),
        ]

    def __str__(self) -> str:
        return f"pulse {self.score} from {self.contact_id}"

    @property
    def face(self) -> str:
        return FACES.get(self.score, "")

    @property
    def face_label(self) -> str:
        return str(LABELS.get(self.score, ""))


# The decisions log (P36) and the plain-words entries (P26) are modules of their own so that
# this one stays short.
from rapport.care.model_decisions import Decision as Decision  # noqa: E402
from rapport.care.model_decisions import DecisionOption as DecisionOption  # noqa: E402
from rapport.care.model_health import ClientHealth as ClientHealth  # noqa: E402
from rapport.care.model_health import HealthCursor as HealthCursor  # noqa: E402
from rapport.care.model_health import HealthPoint as HealthPoint  # noqa: E402
from rapport.care.model_jargon import JargonTerm as JargonTerm  # noqa: E402
from rapport.care.model_keepintouch import CheckIn as CheckIn  # noqa: E402
from rapport.care.model_keepintouch import LoyaltyOffer as LoyaltyOffer  # noqa: E402
from rapport.care.model_referrals import Expert as Expert  # noqa: E402
from rapport.care.model_referrals import Recommendation as Recommendation  # noqa: E402
from rapport.care.model_referrals import Referral as Referral  # noqa: E402

# At the close of a project (P33, P34): survey, testimonials, portfolio permission, promotions.
from rapport.care.model_surveys import PortfolioPermission as PortfolioPermission  # noqa: E402
from rapport.care.model_surveys import Promotion as Promotion  # noqa: E402
from rapport.care.model_surveys import Survey as Survey  # noqa: E402
from rapport.care.model_surveys import SurveyAnswer as SurveyAnswer  # noqa: E402
from rapport.care.model_surveys import Testimonial as Testimonial  # noqa: E402
