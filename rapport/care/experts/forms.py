"""Forms of the expert directory and of recommendations; the services check the same rules
and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.care.model_referrals import Expert, Recommendation
from rapport.clients.models import Client, Contact
from rapport.core.forms import DateInput, model_choice_field


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    skills = forms.CharField(
        label=_("Skills"),
        max_length=1000,
        help_text=_("Separated by commas: copywriting, SEO, photography."),
    )
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *LANGUAGE_CHOICES], required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What they are good at, how they work, what they charge."),
    )

    @staticmethod
    def initial_of(expert: Expert) -> dict[str, Any]:
        return {
            "name": expert.name,
            "skills": ", ".join(expert.skills),
            "email": expert.email,
            "phone": expert.phone,
            "website": expert.website,
            "language": expert.language,
            "notes": expert.notes,
        }


class RecommendationForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())
    contact = forms.ModelChoiceField(
        label=_("Told to (optional)"), queryset=Contact.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("For what"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The client reads this if you send it: say why this person fits."),
    )
    recommended_on = forms.DateField(
        label=_("When"), widget=DateInput(), required=False, help_text=_("Today if left empty.")
    )
    send = forms.BooleanField(
        label=_("Send it to the contact"),
        required=False,
        help_text=_("The expert's name, how to reach them and why, in the contact's language."),
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "expert").queryset = (
            Expert.objects.for_workspace(client.workspace_id)
            .filter(archived_at__isnull=True)
            .order_by("name", "id")
        )
        model_choice_field(self, "contact").queryset = Contact.objects.filter(
            client_id=client.pk, archived_at__isnull=True
        ).order_by("name", "id")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Recommendation.Outcome.choices)
    outcome_note = forms.CharField(label=_("Note"), max_length=500, required=False)
