from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from rapport.care.namedays.services import MAX_CHARS


class GreetingForm(forms.Form):
    """The greeting as the provider leaves it: the draft, or their own words."""

    message = forms.CharField(
        label=gettext_lazy("Greeting"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_CHARS,
    )
