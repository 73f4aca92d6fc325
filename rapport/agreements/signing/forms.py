"""Forms for signing: the client's signature in the portal, the countersignature, withdrawing a
document and checking a PDF file. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A contract PDF is a few hundred kilobytes; more than this is not one of ours.
MAX_PDF_BYTES = 20 * 1024 * 1024


class CountersignForm(forms.Form):
    consent = forms.BooleanField(label=_("I agree: typing my name is my signature"))
    typed_name = forms.CharField(label=_("Your name"), max_length=200)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=500)


class PdfCheckForm(forms.Form):
    file = forms.FileField(label=_("PDF file to check"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("That file is too large to be one of our PDFs."))
        return upload


class SignForm(forms.Form):
    """The client's signature in the portal: consent, name and the emailed code."""

    consent = forms.BooleanField(label=_("I have read it and agree"), required=False)
    typed_name = forms.CharField(label=_("Type your full name"), max_length=200, required=False)
    code = forms.CharField(
        label=_("The 6-digit code we emailed you"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
