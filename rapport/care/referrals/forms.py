"""The referral form of a client page; the service checks the same rules and names the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.care.model_referrals import Expert, Referral
from rapport.clients.models import Client, Contact
from rapport.core.forms import DateInput, model_choice_field


class ContactChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.client.name})"


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who referred this client?"),
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
    )
    referrer_client = forms.ModelChoiceField(
        label=_("The client"), queryset=Client.objects.none(), required=False
    )
    referrer_contact = ContactChoice(
        label=_("The contact"), queryset=Contact.objects.none(), required=False
    )
    colleague_name = forms.CharField(
        label=_("The colleague's name"), max_length=200, required=False
    )
    expert = forms.ModelChoiceField(
        label=_("Or the colleague from your directory"),
        queryset=Expert.objects.none(),
        required=False,
    )
    referred_on = forms.DateField(
        label=_("When"), widget=DateInput(), required=False, help_text=_("Today if left empty.")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    thank = forms.BooleanField(
        label=_("Thank the contact who referred them"),
        required=False,
        initial=True,
        help_text=_(
            "A short thank-you in their language, through their channel, within their hours."
        ),
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workspace_id = client.workspace_id
        model_choice_field(self, "referrer_client").queryset = (
            Client.objects.for_workspace(workspace_id)
            .filter(archived_at__isnull=True)
            .exclude(pk=client.pk)
            .order_by("name", "id")
        )
        model_choice_field(self, "referrer_contact").queryset = (
            Contact.objects.for_workspace(workspace_id)
            .filter(archived_at__isnull=True)
            .exclude(client_id=client.pk)
            .select_related("client")
            .order_by("name", "id")
        )
        model_choice_field(self, "expert").queryset = (
            Expert.objects.for_workspace(workspace_id)
            .filter(archived_at__isnull=True)
            .order_by("name", "id")
        )
