"""Invoices, payments, the ways a client can pay, and time worked (P09, P10, P35)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.core.models import ArchivableModel, TenantModel

AMOUNT: dict[str, Any] = {"max_digits": 18, "decimal_places": 4}


class PaymentMethod(ArchivableModel):
    """A way the client may pay, shown on every invoice and in the portal (P10)."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CARD = "card", _("Card payment link")
        PAYPAL = "paypal", _("PayPal")
        CASH = "cash", _("Cash")
        EWALLET = "ewallet", _("Other e-wallet")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    url = models.URLField(_("payment link"), blank=True)
    email = models.EmailField(_("account email"), blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        # The "Method" choice of the payment form shows it.
        return self.label


class InvoiceSequence(models.Model):
    """The last invoice number of a workspace; locked while a number is taken (no gaps)."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.last_number}"


class Invoice(TenantModel):
    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        MILESTONE = "milestone", _("Milestone")
        FINAL = "final", _("Final")
        HOURLY = "hourly", _("Hourly")
        CHANGE = "change", _("Change request")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        PAID = "paid", _("Paid")
        VOID = "void", _("Cancelled")

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="invoices")
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    contract = models.ForeignKey(
        "agreements.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    stage = models.OneToOneField(
        "agreements.PaymentStage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice",
    )
    # The contact it is addressed to and reminded through.
    contact = models.ForeignKey(
        "clients.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Taken from InvoiceSequence when issued; drafts have none, so cancelling leaves no gap.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    issue_date = models.DateField(_("issued on"), null=True, blank=True)
    due_date = models.DateField(_("due on"), null=True, blank=True)
    # The date of supply, or the first day of the service period (EU VAT Directive art. 226(7)):
    # printed when it differs from the issue date. Empty: supplied on the issue date.
    supplied_on = models.DateField(_("date of supply"), null=True, blank=True)
    supplied_until = models.DateField(_("end of the service period"), null=True, blank=True)
    subtotal = models.DecimalField(_("subtotal"), default=0, **AMOUNT)
    tax_total = models.DecimalField(_("tax"), default=0, **AMOUNT)
    total = models.DecimalField(_("total"), default=0, **AMOUNT)
    paid_total = models.DecimalField(_("paid"), default=0, **AMOUNT)
    notes = models.TextField(_("notes"), blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    # Reminders (scanners.py): the next date one is due and how many steps are behind us.
    # Cleared when the invoice is paid or cancelled, so the scanner never reads it again.
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)
    reminder_step = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issue_date", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "number"],
                condition=models.Q(number__isnull=False),
                name="invoice_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "due_date"], name="invoice_ws_status_due"),
            models.Index(fields=["client", "status"], name="invoice_client_status"),
            # The invoice list's order, whole: page one reads 50 index entries, no sort.
            models.Index(
                fields=["workspace", "-issue_date", "-number", "-id"], name="invoice_ws_recent"
            ),
            models.Index(
                fields=["next_reminder_on"],
                condition=models.Q(next_reminder_on__isnull=False),
                name="invoice_reminder_due",
            ),
            models.Index(fields=["project", "kind", "status"], name="invoice_project_kind"),
        ]

    def __str__(self) -> str:
        return self.display_number or f"draft #{self.pk}"

    @property
    def display_number(self) -> str:
        # Imported here: numbering imports this module (InvoiceSequence) at load time.
        from rapport.billing.numbering import invoice_number_display

        return invoice_number_display(self.number, self.issue_date)

    @property
    def balance(self) -> Decimal:
        return Decimal(self.total) - Decimal(self.paid_total)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.ISSUED
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("unit price"), **AMOUNT)
    tax_rate = models.DecimalField(_("tax %"), max_digits=5, decimal_places=2, default=0)
    net = models.DecimalField(_("amount"), default=0, **AMOUNT)
    tax = models.DecimalField(_("tax"), default=0, **AMOUNT)
    # P35: work given at no charge is shown to the client, at zero.
    goodwill = models.BooleanField(_("goodwill"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class Payment(TenantModel):
    """Money received against one invoice, recorded by the provider; partial payments add up."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **AMOUNT)
    received_on = models.DateField(_("received on"))
    method = models.ForeignKey(
        PaymentMethod,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("method"),
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["received_on", "id"]


class TimeEntry(TenantModel):
    """Time worked on a project; billable entries become lines of the next hourly invoice."""

    class Billing(models.TextChoices):
        BILLABLE = "billable", _("Billable")
        NON_BILLABLE = "non_billable", _("Not billable")
        GOODWILL = "goodwill", _("Goodwill (shown to the client, not charged)")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="time_entries"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worked_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    description = models.CharField(_("description"), max_length=300)
    billing = models.CharField(
        _("billing"), max_length=16, choices=Billing.choices, default=Billing.BILLABLE
    )
    # None = the project's hourly rate (the quote's revision rate) at invoicing.
    rate = models.DecimalField(_("hourly rate"), null=True, blank=True, **AMOUNT)
    revision = models.OneToOneField(
        "projects.RevisionRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="time_entry",
    )
    invoice_line = models.ForeignKey(
        InvoiceLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="time_entries"
    )

    class Meta:
        ordering = ["-worked_on", "-id"]
        indexes = [
            models.Index(
                fields=["project", "billing"],
                condition=models.Q(invoice_line__isnull=True),
                name="time_unbilled",
            )
        ]
