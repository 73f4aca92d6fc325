"""Forms of the keep-in-touch pages; the services check the same rules and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.care.model_keepintouch import CheckIn
from rapport.clients.models import Contact


class DraftForm(forms.Form):
    """A draft as the provider sends it: to whom, the subject and the text."""

    contact = forms.ModelChoiceField(
        label=_("To"), queryset=Contact.objects.none(), required=False, empty_label="—"
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The greeting and your signature are added in the contact's language."),
    )

    def __init__(self, *args: Any, check_in: CheckIn, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"contact": check_in.contact_id, "subject": check_in.subject, "body": check_in.body},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Contact.objects.filter(
            client_id=check_in.client_id, archived_at__isnull=True
        ).order_by("name", "id")


class MonthsForm(forms.Form):
    check_in_months = forms.CharField(
        label=_("Check in after (months)"),
        max_length=40,
        required=False,
        help_text=_(
            "Months after a delivery, separated by commas, e.g. 3, 6, 12. Leave empty for none."
        ),
    )


class LoyaltyForm(forms.Form):
    discount_percent = forms.DecimalField(
        label=_("Discount (%)"), required=False, max_digits=5, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note for the client"),
        max_length=500,
        required=False,
        help_text=_("Shown with the offer on the next quote, e.g. “Thank you for coming back”."),
    )
