"""Forms of the brief pages: they parse input; ``briefs.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.clients.models import BriefQuestion, BriefTemplate, Client, Contact


class BriefSendForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Send to"), queryset=Contact.objects.none())
    template = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=BriefTemplate.objects.none()
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact_field = self.fields["contact"]
        template_field = self.fields["template"]
        assert isinstance(contact_field, forms.ModelChoiceField)
        assert isinstance(template_field, forms.ModelChoiceField)
        contact_field.queryset = client.contacts.filter(archived_at__isnull=True)
        template_field.queryset = BriefTemplate.objects.for_workspace(client.workspace_id).filter(
            archived_at__isnull=True
        )


class BriefTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of the questions"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The contact sees the questions as you write them."),
    )


class BriefQuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Answer"), choices=BriefQuestion.Kind.choices)
    help_text = forms.CharField(label=_("Hint"), max_length=300, required=False)
    choices = forms.CharField(
        label=_("Options (for a choice, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
