"""Providers, workspaces (the tenant), membership, invitations and API tokens."""

from __future__ import annotations

import datetime
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TimestampedModel

LANGUAGE_CHOICES = [
    ("en", "English"),
    ("el", "Ελληνικά"),
    ("ro", "Română"),
    ("id", "Bahasa Indonesia"),
]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A provider: a freelancer or a member of a studio. Logs in with email and password."""

    # AbstractUser's fields that Rapport does not have (the email is the username).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    # Users are created by email; AbstractUser's manager creates them by username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.name or self.email


def inbound_token_new() -> str:
    return secrets.token_hex(8)


class LegalIdentity(models.Model):
    """Who a party is on an invoice, quote or contract (P09, P10): legal name, address and the
    tax ids its country uses. The workspace (seller) and each client (buyer) have one; the
    checks are in ``accounts.business`` (docs/adr/0019-business-identity.md)."""

    legal_name = models.CharField(_("legal name"), max_length=200, blank=True, default="")
    street = models.CharField(_("street and number"), max_length=200, blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True, default="")
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    # The national tax id, read by ``country``: ΑΦΜ (GR), CUI/CIF (RO), NPWP (ID).
    tax_id = models.CharField(_("tax id"), max_length=32, blank=True, default="")
    # Greece: the tax office (ΔΟΥ) that keeps the ΑΦΜ.
    tax_office = models.CharField(_("tax office (ΔΟΥ)"), max_length=100, blank=True, default="")
    # Romania: Nr. Reg. Com., e.g. J40/1234/2020.
    trade_register = models.CharField(
        _("trade register number"), max_length=32, blank=True, default=""
    )
    vat_number = models.CharField(_("EU VAT number"), max_length=20, blank=True, default="")

    class Meta:
        abstract = True


class Workspace(TimestampedModel, LegalIdentity):
    """The tenant: one freelancer, or a studio with an owner and members."""

    name = models.CharField(_("name"), max_length=150)
    default_currency = models.CharField(_("default currency"), max_length=3, default="EUR")
    default_language = models.CharField(
        _("default language"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # P14: when requests are answered. Business hours are in the workspace's time zone.
    business_hours_start = models.TimeField(_("business hours from"), default=datetime.time(9))
    business_hours_end = models.TimeField(_("business hours until"), default=datetime.time(17))
    business_days = models.CharField(
        _("business days"),
        max_length=13,
        default="0,1,2,3,4",
        help_text=_("Weekday numbers, Monday = 0."),
    )
    response_target_hours = models.PositiveSmallIntegerField(
        _("first response within (business hours)"), default=4
    )
    # Alert when this share of a response target has passed without an answer.
    response_alert_percent = models.PositiveSmallIntegerField(
        _("alert at (percent of the target)"), default=75
    )
    # P16: warn about a delay while more than this many working days remain.
    delay_warning_days = models.PositiveSmallIntegerField(
        _("warn of delays (working days ahead)"), default=3
    )
    # Public holidays of this country are not business days (the ``holidays`` package).
    holiday_country = models.CharField(
        _("public holidays of"), max_length=8, blank=True, default=""
    )
    # P12: the channels this workspace offers its clients, among those the server has
    # credentials for (CHANNEL_*_URL). Email is always on.
    channels_off = models.JSONField(_("channels turned off"), default=list, blank=True)
    # The dashboard's first-day checklist, put away by the owner before it was complete.
    checklist_hidden_at = models.DateTimeField(null=True, blank=True)
    # Replies sent to <local>+<token>@<inbound domain> reach this workspace (inbound email).
    inbound_token = models.CharField(max_length=32, unique=True, default=inbound_token_new)
    # The address of the workspace's own mailbox when Rapport reads it over IMAP (set by the
    # mailbox settings of conversations); it is then the workspace's inbound address.
    inbound_mailbox_address = models.EmailField(_("inbound mailbox"), blank=True, default="")
    # A new contact's hours when none are given (P12: no 23:00 messages), in their time zone.
    default_contact_hours_start = models.TimeField(
        _("default contact hours from"), default=datetime.time(8)
    )
    default_contact_hours_end = models.TimeField(
        _("default contact hours until"), default=datetime.time(20)
    )
    # Sent as you: the From of every email. Without an address, mail goes out as
    # "<sender name or workspace name> via Rapport" on the server's own address, which its
    # SPF/DKIM cover (docs/email.md).
    sender_name = models.CharField(_("sender name"), max_length=100, blank=True, default="")
    sender_email = models.EmailField(_("sender address"), blank=True, default="")
    # Your business on every paper: a PNG or JPEG of at most 512 KB (private, served to staff
    # by a view and embedded in documents) and the colour of document headings.
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True, default="")
    brand_color = models.CharField(_("brand colour"), max_length=7, blank=True, default="")
    # P30: months after a delivery when the client gets a check-in ("3, 6, 12"); empty: none.
    check_in_months = models.CharField(
        _("check in after (months)"), max_length=40, blank=True, default="3, 6, 12"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def business_weekdays(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.business_days.split(",") if d.strip().isdigit())


class Membership(TimestampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    # P03: hours a week this person can work on client projects.
    weekly_capacity_hours = models.PositiveSmallIntegerField(
        _("weekly capacity (hours)"), default=30
    )
    # P14: where this member hears of a new client request at once, and when not to be told.
    notify_channel = models.CharField(_("notify me by"), max_length=16, default="email")
    # The address on that channel (a chat id, a topic…); blank for email (their login email).
    notify_address = models.CharField(_("address on that channel"), max_length=254, blank=True)
    # Quiet hours in the member's time zone; both set or neither. May cross midnight.
    quiet_hours_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet until"), null=True, blank=True)
    # The next daily digest (08:00 in the member's time zone): the digest scanner reads only
    # the members whose digest is due through this index.
    digest_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user")
        ]
        indexes = [models.Index(fields=["digest_due_at"], name="membership_digest_due")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class Invitation(TimestampedModel):
    """An invitation by email to join a workspace. The token is stored only as a hash."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(TimestampedModel):
    """A bearer token for the REST API, bound to a workspace and a member; stored hashed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
