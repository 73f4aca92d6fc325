"""Forms of the screening page and of the checklist's Settings actions: they parse input;
``screening.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from rapport.clients.models import Client, Contact, ScreeningQuestion
from rapport.core.forms import model_choice_field


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("take", gettext_lazy("Take it")), ("decline", gettext_lazy("Decline it"))],
        widget=forms.RadioSelect,
    )
    contact = forms.ModelChoiceField(
        label=gettext_lazy("Write to"), queryset=Contact.objects.none(), required=False
    )
    message = forms.CharField(
        label=gettext_lazy("Message (for a decline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = client.contacts.filter(archived_at__isnull=True)
        model_choice_field(self, "contact").queryset = contacts


class QuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Question"), max_length=300)
    red_flag = forms.ChoiceField(
        label=gettext_lazy("Red flag"), choices=ScreeningQuestion.Flag.choices, required=False
    )
