"""Quotes, their payment schedules, and the documents a client signs (P06, P07, P08, P19).

A quote is priced and versioned; once accepted it becomes a contract :class:`Document`, and every
approved change request appends an amendment :class:`Document`. A document's PDF is rendered once,
its SHA-256 stored, and it never changes after the first signature; every step on it is an
:class:`AuditEvent` whose hash chains to the one before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.agreements.model_signing import SignedDocumentError as SignedDocumentError
from rapport.core.models import ArchivableModel, TenantModel


class Quote(TenantModel):
    """A priced offer for one project, in the client's currency and language (P06, P07)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Replaced by a new version")
        EXPIRED = "expired", _("Expired")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="quotes", verbose_name=_("client")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("project"),
    )
    # The contact who receives it and decides; the signer of the contract that follows.
    contact = models.ForeignKey(
        "clients.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact"),
    )
    # Versions of one offer share a series number: Q-12 v1, Q-12 v2.
    series = models.PositiveIntegerField(_("quote number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_version"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what the client wants to achieve"), blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # P06: what is not included, one item per line as the client reads it.
    out_of_scope = models.TextField(_("out of scope"), blank=True)
    # P08: the revision policy.
    revision_free_rounds = models.PositiveSmallIntegerField(
        _("free revision rounds per deliverable"), default=2
    )
    revision_hourly_rate = models.DecimalField(
        _("hourly rate after the free rounds"), default=0, max_digits=18, decimal_places=4
    )
    subtotal = models.DecimalField(_("subtotal"), default=0, max_digits=18, decimal_places=4)
    tax_total = models.DecimalField(_("tax"), default=0, max_digits=18, decimal_places=4)
    total = models.DecimalField(_("total"), default=0, max_digits=18, decimal_places=4)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback = models.TextField(_("client feedback"), blank=True)
    # A quote that offers packages records the one the client chose when accepting; its
    # totals are then that package's (ADR 0022).
    chosen_package = models.ForeignKey(
        "QuotePackage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("package chosen"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-series", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "series", "version"], name="quote_series_version"
            )
        ]
        indexes = [models.Index(fields=["client", "status"], name="quote_client_status")]

    def __str__(self) -> str:
        return f"Q-{self.series} v{self.version}"

    @property
    def reference(self) -> str:
        return f"Q-{self.series}" + (f" v{self.version}" if self.version > 1 else "")

    def agreed_lines(self) -> models.QuerySet[QuoteLine]:
        """The lines the client buys: the common lines and, once a package was chosen, its
        lines; the other packages' lines were offered, not agreed. Everything downstream of
        an accepted quote (contract, invoices) reads these."""
        common = models.Q(package__isnull=True)
        if self.chosen_package_id is not None:
            common |= models.Q(package_id=self.chosen_package_id)
        return self.lines.filter(common)


class QuotePackage(models.Model):
    """One of two or more options the client chooses between ("Essential", "Complete").

    Its totals include the quote's common lines: they are what the client pays if they
    choose it.
    """

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="packages")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("package"), max_length=80)
    subtotal = models.DecimalField(_("subtotal"), default=0, max_digits=18, decimal_places=4)
    tax_total = models.DecimalField(_("tax"), default=0, max_digits=18, decimal_places=4)
    total = models.DecimalField(_("total"), default=0, max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class QuoteLine(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        HOURLY = "hourly", _("Hourly")
        QUANTITY = "quantity", _("Per unit")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    # None: always included; else the line belongs to one optional package.
    package = models.ForeignKey(
        QuotePackage, null=True, blank=True, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FIXED)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    tax_rate = models.DecimalField(_("tax %"), max_digits=5, decimal_places=2, default=0)
    # Rounded to the currency's minor unit when the line is written; totals add these.
    net = models.DecimalField(_("amount"), default=0, max_digits=18, decimal_places=4)
    tax = models.DecimalField(_("tax"), default=0, max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class SavedItem(ArchivableModel):
    """A line the workspace reuses across quotes ("Logo design, 450 EUR, 24 %")."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=QuoteLine.Kind.choices, default=QuoteLine.Kind.FIXED
    )
    description = models.CharField(_("description"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)
    tax_rate = models.DecimalField(_("tax %"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["description", "id"]
        indexes = [models.Index(fields=["workspace", "archived_at"], name="saveditem_ws_active")]

    def __str__(self) -> str:
        return self.description


class QuoteDeliverable(models.Model):
    """What will be handed over: a written spec and an agreed format (P06, P13)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="deliverables")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    spec = models.TextField(_("specification"))
    format = models.CharField(_("format"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PaymentStage(TenantModel):
    """One payment of the agreed schedule: the deposit, a milestone payment or the final one.

    The quote sets the schedule; an approved change request adds a stage of its own.
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        MILESTONE = "milestone", _("Milestone payment")
        FINAL = "final", _("Final payment")
        CHANGE = "change", _("Change request")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="stages")
    change_request = models.ForeignKey(
        "projects.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stages",
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    # As typed: a share of the total or an amount; ``amount`` is always the resolved figure.
    percent = models.DecimalField(
        _("percent of total"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=4)
    milestone = models.ForeignKey(
        "projects.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payment_stages",
        verbose_name=_("milestone"),
    )

    class Meta:
        ordering = ["position", "id"]


class ContractTemplate(TenantModel):
    """The workspace's contract terms in one language; ``{placeholders}`` are filled per quote."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("terms"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "language"], name="contract_template_lang")
        ]


class Document(TenantModel):
    """A contract or an amendment, rendered once as a PDF and signed by both sides (P08, P19)."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        AMENDMENT = "amendment", _("Amendment")

    class Status(models.TextChoices):
        AWAITING_CLIENT = "awaiting_client", _("Waiting for the client's signature")
        AWAITING_PROVIDER = "awaiting_provider", _("Waiting for your countersignature")
        SIGNED = "signed", _("Signed")
        VOID = "void", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.AWAITING_CLIENT
    )
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="documents")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="documents"
    )
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    # An amendment belongs to its contract and comes from one change request.
    contract = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    change_request = models.OneToOneField(
        "projects.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendment",
    )
    signer = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    body = models.TextField(_("terms"))
    # What the PDF was rendered from (parties, lines, schedule, labels in the document's
    # language): the portal's HTML view shows the same data as the signed file.
    data = models.JSONField(default=dict, editable=False)
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    sign_by = models.DateTimeField(_("to be signed by"))
    client_signed_at = models.DateTimeField(null=True, blank=True)
    provider_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "status"], name="document_client_status")]

    # Once a party has signed, these are the evidence and never change (ADR 0007, P08).
    FROZEN_FIELDS = ("body", "data", "pdf", "sha256", "title", "language", "kind", "signer_id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and not self._state.adding:
            stored = (
                Document.objects.filter(pk=self.pk)
                .values("client_signed_at", *self.FROZEN_FIELDS)
                .first()
            )
            if stored is not None and stored["client_signed_at"] is not None:
                for name in self.FROZEN_FIELDS:
                    old, new = stored[name], getattr(self, name)
                    if name == "pdf":
                        old, new = bytes(old or b""), bytes(new or b"")
                    if old != new:
                        raise SignedDocumentError(
                            f"document {self.pk} is signed: {name} cannot change"
                        )
        super().save(*args, **kwargs)


# The signature evidence and the audit chain of a document (P08), in a module of their own.
from rapport.agreements.model_signing import (  # noqa: E402
    AuditEvent as AuditEvent,
)
from rapport.agreements.model_signing import (  # noqa: E402
    Signature as Signature,
)
from rapport.agreements.model_signing import (  # noqa: E402
    SignatureCode as SignatureCode,
)
