"""Forms for billing pages. They only shape input; the services check the rules (amounts,
IBANs, balances) and their errors land on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import Workspace
from rapport.agreements.models import PaymentStage
from rapport.billing.models import Invoice, PaymentMethod, TimeEntry
from rapport.billing.payment_methods import payment_methods_for
from rapport.core.forms import DateInput, choice_field, model_choice_field


class PaymentMethodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentMethod.Kind.choices)
    label = forms.CharField(
        label=_("Name shown to the client"),
        required=False,
        max_length=100,
        help_text=_("For example “Piraeus Bank” or “Revolut”."),
    )
    account_holder = forms.CharField(label=_("Account holder"), required=False, max_length=200)
    iban = forms.CharField(label=_("IBAN"), required=False, max_length=50)
    bic = forms.CharField(label=_("BIC"), required=False, max_length=20)
    url = forms.CharField(label=_("Payment link"), required=False, max_length=200)
    email = forms.CharField(label=_("Account email"), required=False, max_length=254)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InvoiceLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.CharField(label=_("Quantity"), initial="1", max_length=20)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    unit_price = forms.CharField(label=_("Unit price"), required=False, max_length=30)
    tax_rate = forms.CharField(label=_("Tax %"), required=False, initial="0", max_length=10)
    goodwill = forms.BooleanField(
        label=_("Goodwill (shown to the client, not charged)"), required=False
    )


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount"), max_length=30)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=PaymentMethod.objects.none(), required=False
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=200)

    def __init__(self, *args: Any, workspace: Workspace | int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "method").queryset = payment_methods_for(workspace)


class TimeEntryForm(forms.Form):
    worked_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.CharField(label=_("Hours"), max_length=10)
    description = forms.CharField(label=_("What was done"), max_length=300)
    billing = forms.ChoiceField(
        label=_("Billing"), choices=TimeEntry.Billing.choices, initial=TimeEntry.Billing.BILLABLE
    )
    rate = forms.CharField(
        label=_("Hourly rate"),
        required=False,
        max_length=30,
        help_text=_("Empty: the project's rate when invoiced."),
    )


class IssueForm(forms.Form):
    """The date of supply, asked when issuing (EU invoices state it when it differs)."""

    supplied_on = forms.DateField(
        label=_("Date of supply, or start of the service period"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when the work was supplied on the issue date."),
    )
    supplied_until = forms.DateField(
        label=_("End of the service period"), required=False, widget=DateInput()
    )


class NewInvoiceForm(forms.Form):
    """Which invoice to draft: one stage of the agreed schedule, or the unbilled hours."""

    source = forms.ChoiceField(label=_("Invoice for"), choices=())
    rate = forms.CharField(
        label=_("Hourly rate (for hours without one)"), required=False, max_length=30
    )

    def __init__(self, *args: Any, stages: list[PaymentStage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [
            (
                f"stage:{s.pk}",
                f"{s.get_kind_display()}: {s.label or s.quote.title} ({s.quote.reference},"
                f" {s.amount:.2f} {s.quote.currency})",
            )
            for s in stages
        ]
        choices.append(("hourly", str(_("Unbilled hours (hourly invoice)"))))
        choice_field(self, "source").choices = choices


STATUS_FILTERS = [
    *Invoice.Status.choices,
    ("overdue", _("Overdue")),
]
