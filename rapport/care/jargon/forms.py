"""Forms of the Plain words settings page; the services check the same rules and name the
field (empty, too long, already listed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES


class TermForm(forms.Form):
    """A term and what to say instead; the language is the page's (a hidden field)."""

    term = forms.CharField(
        label=_("Word or phrase"),
        help_text=_("Case and accents do not matter; end it with * to match any ending."),
    )
    suggestion = forms.CharField(
        label=_("Say instead"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Plain words the client knows, in the same language."),
    )


class AddTermForm(TermForm):
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, widget=forms.HiddenInput)
