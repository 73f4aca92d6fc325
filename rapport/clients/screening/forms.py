"""Forms of the screening page and of the checklist's Settings actions: they parse input;
``screening.services`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from rapport.clients.models import Client, Contact, ScreeningQuestion


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

    def __init__(self, *args: object, client: Client, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["contact"].queryset = client.contacts.filter(archived_at__isnull=True)  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Question"), max_length=300)
    red_flag = forms.ChoiceField(
        label=gettext_lazy("Red flag"), choices=ScreeningQuestion.Flag.choices, required=False
    )
