from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.clients.models import Contact
from rapport.commitments.models import Commitment
from rapport.core.forms import model_choice_field


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PromiseForm(forms.Form):
    wording = forms.CharField(
        label=_("The promise, as the client heard it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_at = forms.DateTimeField(label=_("By"), widget=DateTimeInput())


class RenegotiateForm(forms.Form):
    new_due_at = forms.DateTimeField(label=_("New date"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Why"), max_length=500)
    told_via = forms.ChoiceField(
        label=_("How the client was told"), choices=Commitment.ToldVia.choices
    )


def contacts_of(client_id: int) -> QuerySet[Contact]:
    return Contact.objects.filter(client_id=client_id, archived_at__isnull=True).order_by("name")


class ConfirmRequestForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Ask"), queryset=Contact.objects.none())

    def __init__(self, *args: Any, client_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "contact").queryset = contacts_of(client_id)
