"""The form of the client-pattern page: the clause as the provider edits it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.care.patterns.services import CLAUSE_MAX


class ClauseForm(forms.Form):
    clause = forms.CharField(
        label=_("Contract clause for next time"),
        max_length=CLAUSE_MAX,
        widget=forms.Textarea(attrs={"rows": 9, "id": "pattern-clause"}),
    )
