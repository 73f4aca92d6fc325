"""The contract terms form (Settings). It parses input; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES


class ContractTemplateForm(forms.Form):
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Terms"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Paragraphs are separated by a blank line. Placeholders filled for each contract: "
            "{client}, {provider}, {project}, {total}, {deposit}, {free_rounds}, "
            "{hourly_rate}, {sign_by}."
        ),
    )
